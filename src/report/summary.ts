// The job summary ($GITHUB_STEP_SUMMARY): the one-line result, the seed's Deployment Summary table right below it, the
// GitHub facts, the stage timings as a Gantt chart, notices; then the details folded: the failure's debug details and
// a section per stage that ran. GitHub takes at most 1 MiB per step summary: the rendered size is measured, and a
// summary over it drops the folded command output first, then the stage details, saying so. Reads only the Deployment.
import { STAGE_IDS } from '../engine/model.js';
import type { ArtifactUploadRecord, Deployment } from '../engine/model.js';
import { formatDuration, formatSize } from '../config/units.js';
import { collectDebug } from './deployment-facts.js';
import type { DebugItem } from './deployment-facts.js';
import { renderGantt } from './gantt.js';
import { markOf, STAGE_NAMES } from './labels.js';
import { details, escapeText, fence, inlineCode } from './markdown.js';
import { renderGitHubFacts } from './summary-github.js';
import { renderStageSection } from './summary-sections.js';
import { renderDeploymentSummary, renderResultBlock } from './summary-outcome.js';

/** GitHub's limit on one step's summary. */
export const STEP_SUMMARY_LIMIT_BYTES = 1024 * 1024;

/** Command output is already a capped tail; this keeps a summary readable when a tool is chatty. */
const OUTPUT_TAIL_LINES = 60;

/** How much of the folded details a rendering keeps; each level is tried in turn until the summary fits. */
interface Detail {
  /** Bytes of each command output kept (its end); 0 leaves output out; undefined keeps the whole tail. */
  outputBytes?: number;
  stages: boolean;
  /** What this level left out, said at the top of the folded details. */
  cut?: string;
}

const LEVELS: readonly Detail[] = [
  { stages: true },
  { outputBytes: 4096, stages: true, cut: 'each command output was cut to its last 4 KiB' },
  { outputBytes: 0, stages: true, cut: 'command output was left out' },
  { outputBytes: 0, stages: false, cut: 'command output and the stage details were left out' },
];

function tail(output: string, maxBytes: number | undefined): { text: string; note: string } {
  const lines = output.replace(/\n+$/, '').split('\n');
  const cut = Math.max(0, lines.length - OUTPUT_TAIL_LINES);
  let text = lines.slice(cut).join('\n');
  let note = cut > 0 ? ` (last ${OUTPUT_TAIL_LINES} lines)` : '';
  if (maxBytes !== undefined && Buffer.byteLength(text) > maxBytes) {
    // Keep the end (where the error usually is); drop a partial first line and any split character.
    const end = Buffer.from(text).subarray(-maxBytes).toString('utf8').replace(/^\uFFFD+/, '');
    text = end.includes('\n') ? end.slice(end.indexOf('\n') + 1) : end;
    note = ` (last ${formatSize(Buffer.byteLength(text))})`;
  }
  return { text, note };
}

/** One failure's debug details, folded: expected, got, detail, and the tail of its output in a fence. */
export function renderDebugItem(item: DebugItem, detail: Detail = LEVELS[0]!): string {
  const lines: string[] = [];
  if (item.expected !== undefined) lines.push(`- **Expected:** ${escapeText(item.expected)}`);
  if (item.got !== undefined) lines.push(`- **Got:** ${escapeText(item.got)}`);
  if (item.detail !== '') lines.push(`- **Detail:** ${escapeText(item.detail)}`);
  const blocks = [lines.join('\n')];
  if (item.output !== undefined && item.output.trim() !== '') {
    if (detail.outputBytes === 0) {
      blocks.push(`Output: left out (${formatSize(Buffer.byteLength(item.output))}; see the run log or the JSON report).`);
    } else {
      const { text, note } = tail(item.output, detail.outputBytes);
      blocks.push(`Output${note}:`, fence(text, 'text'));
    }
  }
  return details(`${STAGE_NAMES[item.stage]}: ${item.subject}`, blocks.filter((b) => b !== '').join('\n\n'));
}

function renderFailure(d: Deployment, detail: Detail): string | undefined {
  if (d.result === undefined || d.result === 'success') return undefined;
  const stage = d.failedStage ? ` at ${STAGE_NAMES[d.failedStage]}` : '';
  const blocks = [`### Failure${stage}`];
  if (d.reason !== undefined) blocks.push(`**Failure reason:** ${escapeText(d.reason)}`);
  const debug = collectDebug(d);
  if (debug.length > 0) blocks.push('**Debug details:**', ...debug.map((item) => renderDebugItem(item, detail)));
  return blocks.join('\n\n');
}

/** The failure's reason and whole debug details, for the debug.md stored and uploaded with a run that did not
 *  succeed; undefined for a successful run. */
export function renderDebugDetails(d: Deployment): string | undefined {
  const failure = renderFailure(d, LEVELS[0]!);
  return failure === undefined ? undefined : `# ${d.target} ${d.version}: ${d.result}\n\n${failure}\n`;
}

function renderStageDetails(d: Deployment): string | undefined {
  const sections = STAGE_IDS.map((id) => renderStageSection(d.stages[id])).filter((s): s is string => s !== undefined);
  return sections.length === 0 ? undefined : ['### Stage details', ...sections].join('\n\n');
}

function renderTimings(d: Deployment): string | undefined {
  const gantt = renderGantt(d);
  return gantt === undefined ? undefined : `### Stage timings\n\n${gantt}`;
}

function renderRunFacts(d: Deployment): string {
  const lines = [`**Deployment ID:** ${inlineCode(d.id)}`];
  if (d.durationMs !== undefined) lines.push(`**Duration:** ${formatDuration(d.durationMs)}`);
  if (d.sha !== undefined) lines.push(`**Commit:** ${inlineCode(d.sha)}`);
  if (d.deploymentId !== undefined) lines.push(`**GitHub deployment:** ${inlineCode(d.deploymentId)}`);
  if (d.releaseUrl !== undefined) lines.push(`**Release:** ${escapeText(d.releaseUrl)}`);
  if (d.reportFile !== undefined) lines.push(`**Report:** ${inlineCode(d.reportFile)}`);
  const upload = d.stages.build.data?.upload;
  if (upload !== undefined) lines.push(`**Artifacts:** ${renderUpload(upload)}`);
  return lines.join('<br>\n');
}

/** The uploaded artifact linked by name, or where the local store keeps the run's files, or why the upload failed. */
function renderUpload(upload: ArtifactUploadRecord): string {
  if (upload.url !== undefined) return `[${escapeText(upload.name)}](${upload.url}) — ${escapeText(upload.detail)}`;
  return `${markOf(upload.status)} ${escapeText(upload.detail)}`;
}

/** "**Notifications:** ✓ slack (SLACK_WEBHOOK_URL) — sent (HTTP 200) · ⚠ …"; undefined when none were sent. */
function renderNotifications(d: Deployment): string | undefined {
  const sent = d.stages.finalize.data?.notifications ?? [];
  if (sent.length === 0) return undefined;
  return `**Notifications:** ${sent.map((n) => `${markOf(n.status)} ${escapeText(n.channel)} — ${escapeText(n.detail)}`).join(' · ')}`;
}

function renderNotices(d: Deployment): string | undefined {
  if (d.notices.length === 0) return undefined;
  return ['**Notices:**', ...d.notices.map((n) => `- ${escapeText(n)}`)].join('\n');
}

function shortened(what: string, limitBytes: number): string {
  return `> [!NOTE]\n> This summary was shortened to stay under GitHub's ${formatSize(limitBytes)} step-summary limit: ${what}. The run log and the JSON report have everything.`;
}

function compose(d: Deployment, detail: Detail, limitBytes: number): string {
  const blocks = [
    renderResultBlock(d),
    renderDeploymentSummary(d),
    renderGitHubFacts(d),
    renderNotifications(d),
    renderTimings(d),
    renderRunFacts(d),
    renderNotices(d),
    detail.cut === undefined ? undefined : shortened(detail.cut, limitBytes),
    renderFailure(d, detail),
    detail.stages ? renderStageDetails(d) : undefined,
  ];
  return `${blocks.filter((b): b is string => b !== undefined).join('\n\n')}\n`;
}

/** Last resort (the unfolded parts alone are too big: enormous notes): cut at a line, closing an open fence. */
function cutToFit(markdown: string, limitBytes: number): string {
  const note = `\n\n${shortened('the rest was cut off', limitBytes)}\n`;
  const room = limitBytes - Buffer.byteLength(note) - 16;
  const kept = Buffer.from(markdown).subarray(0, room).toString('utf8').replace(/\uFFFD+$/, '');
  let text = kept.slice(0, Math.max(0, kept.lastIndexOf('\n')));
  const fences = text.match(/^`{3,}/gm) ?? [];
  if (fences.length % 2 === 1) text += `\n${fences.at(-1)}`;
  return `${text}${note}`;
}

export function renderSummary(d: Deployment, limitBytes = STEP_SUMMARY_LIMIT_BYTES): string {
  let markdown = '';
  for (const detail of LEVELS) {
    markdown = compose(d, detail, limitBytes);
    if (Buffer.byteLength(markdown) <= limitBytes) return markdown;
  }
  return cutToFit(markdown, limitBytes);
}
