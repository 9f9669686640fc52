// The stage timings as a Mermaid Gantt chart (GitHub renders ```mermaid blocks): one bar per stage that ran, from its
// start to its end in epoch milliseconds (`dateFormat x`), the axis in wall-clock time, failed bars marked `crit`.
// Labels go through mermaidText: a `:` ends a task's name, `;` ends a statement, `#` starts an entity and `%%` a
// comment, so none of them (nor a line break) may reach the chart from a name.
import { STAGE_IDS } from '../engine/model.js';
import type { Deployment, StageRecord, StageStatus } from '../engine/model.js';
import { formatDuration } from '../config/units.js';
import { STAGE_NAMES } from './labels.js';
import { fence } from './markdown.js';

/** Letters, digits, spaces and a few harmless marks survive; anything else becomes a space. */
export function mermaidText(text: string): string {
  return text.replace(/[^\p{L}\p{N} ._+\-/()]/gu, ' ').replace(/\s+/g, ' ').trim();
}

const TAGS: Partial<Record<StageStatus, string>> = {
  passed: 'done, ',
  warning: 'active, ',
  failed: 'crit, ',
  'rolled-back': 'crit, ',
};

interface Bar {
  record: StageRecord;
  start: number;
  durationMs: number;
}

function barOf(record: StageRecord): Bar | undefined {
  if (record.startedAt === undefined || record.durationMs === undefined) return undefined;
  const start = Date.parse(record.startedAt);
  return Number.isNaN(start) ? undefined : { record, start, durationMs: record.durationMs };
}

/** The chart of the stages that ran; undefined when none did (nothing to draw). */
export function renderGantt(d: Deployment): string | undefined {
  const bars = STAGE_IDS.map((id) => barOf(d.stages[id])).filter((bar): bar is Bar => bar !== undefined);
  if (bars.length === 0) return undefined;
  const lines = ['gantt', `  title ${mermaidText(`${d.target} ${d.version} stage timings`)}`, '  dateFormat x', '  axisFormat %H:%M:%S', '  section Stages'];
  for (const { record, start, durationMs } of bars) {
    const label = mermaidText(`${STAGE_NAMES[record.id]} ${formatDuration(durationMs)}`);
    // A bar needs some width to be drawn: an instant stage gets one millisecond.
    lines.push(`  ${label} :${TAGS[record.status] ?? ''}${record.id}, ${start}, ${start + Math.max(1, durationMs)}`);
  }
  return fence(lines.join('\n'), 'mermaid');
}
