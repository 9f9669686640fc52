// The live view of a run. On a terminal: the seed's stage banners, a box of key facts when each stage finishes,
// progress as dim lines, and the last few output lines of each running step in a live region that is redrawn in
// place (so a chatty build never floods the screen). In logs (not a TTY): plain prefixed lines, no ANSI, every
// output line kept. Either way `finished` prints the closing summary.
import type { Deployment, StageId, StageRecord } from '../engine/model.js';
import type { RunObserver } from '../engine/observer.js';
import { createPaint, toPlainText } from './ansi.js';
import { fitText } from './box.js';
import { STAGE_MARKS, STAGE_NAMES, STAGE_STATUS_LABELS, STAGE_TITLES, stageNumber } from './labels.js';
import { describeStage } from './stage-facts.js';
import { renderStageBoxes } from './terminal-stage-box.js';
import { renderTerminalSummary, terminalWidth } from './terminal-summary.js';
import type { TerminalOptions } from './terminal-summary.js';
import { formatDuration } from '../config/units.js';

export { renderTerminalSummary } from './terminal-summary.js';
export type { TerminalOptions } from './terminal-summary.js';

/** Output lines kept on screen per running step, and how many steps are shown at once. */
export const LIVE_LINES_PER_STEP = 3;
export const LIVE_STEPS = 4;

const BANNER_WIDTH = 55;
const CSI = '\u001b[';

/** "passed in 1.2s — tests 3/3, review 10/10, prerequisites 5/5" */
function finishedLine(record: StageRecord): string {
  const status = STAGE_STATUS_LABELS[record.status];
  const duration = record.durationMs === undefined ? '' : ` in ${formatDuration(record.durationMs)}`;
  const facts = describeStage(record);
  return `${status}${duration}${facts === '' ? '' : ` — ${facts}`}`;
}

function oneLine(text: string): string {
  return toPlainText(text).replace(/\n+/g, ' ');
}

function createPlainObserver(out: NodeJS.WritableStream, options: TerminalOptions): RunObserver {
  const write = (line: string) => out.write(`${line}\n`);
  return {
    stageStarted: (stage) => write(`[${stage}] started`),
    progress: (stage, message) => write(`[${stage}] ${oneLine(message)}`),
    output: (label, line) => write(`  ${label} |${line === '' ? '' : ` ${oneLine(line)}`}`),
    stageFinished: (record) => {
      write(`[${record.id}] ${finishedLine(record)}`);
      if (record.status !== 'passed' && record.notes !== '') write(`[${record.id}] ${oneLine(record.notes)}`);
    },
    finished: (d) => out.write(`\n${renderTerminalSummary(d, { ...options, tty: false, color: false })}`),
  };
}

function createTtyObserver(out: NodeJS.WritableStream, options: TerminalOptions): RunObserver {
  const paint = createPaint(options.color);
  const width = terminalWidth(options);
  // label → its last lines; Map order is recency (a label is re-inserted when it prints).
  const live = new Map<string, string[]>();
  let drawnLines = 0;

  const liveRegion = (): string[] =>
    [...live.entries()].slice(-LIVE_STEPS).flatMap(([label, lines]) =>
      // One column short of the width so no line wraps: the region is erased by counting lines.
      lines.map((line) => paint('dim', fitText(`    ${label} │ ${line}`, width - 1).trimEnd())),
    );

  /** Erase the live region, print `text` above it, redraw it: one write, so the screen never flickers. */
  const print = (text: string) => {
    const erase = drawnLines > 0 ? `${CSI}${drawnLines}A\r${CSI}J` : '';
    const region = liveRegion();
    drawnLines = region.length;
    out.write(`${erase}${text}${region.map((line) => `${line}\n`).join('')}`);
  };
  const lines = (...text: string[]) => print(text.map((t) => `${t}\n`).join(''));

  return {
    stageStarted: (stage: StageId) => {
      live.clear();
      const banner = paint('bold', '═'.repeat(Math.min(BANNER_WIDTH, width)));
      lines('', banner, paint('bold', `STAGE ${stageNumber(stage)}: ${STAGE_TITLES[stage].toUpperCase()}`), banner, '');
    },
    progress: (_stage, message) => lines(paint('dim', fitText(`  · ${oneLine(message)}`, width - 1).trimEnd())),
    output: (label, line) => {
      const kept = live.get(label) ?? [];
      live.delete(label);
      live.set(label, [...kept, oneLine(line)].slice(-LIVE_LINES_PER_STEP));
      print('');
    },
    stageFinished: (record: StageRecord, d: Deployment) => {
      live.clear();
      const boxes = renderStageBoxes(record, d, { width, paint });
      const tone = record.status === 'passed' ? 'ok' : record.status === 'failed' ? 'bad' : 'warn';
      const status = paint(tone, `${STAGE_MARKS[record.status]} ${STAGE_NAMES[record.id]} ${finishedLine(record)}`);
      lines(...boxes, status);
    },
    finished: (d) => {
      live.clear();
      print(`\n${renderTerminalSummary(d, { ...options, tty: true })}`);
    },
  };
}

export function createTerminalObserver(out: NodeJS.WritableStream, options: TerminalOptions): RunObserver {
  return options.tty ? createTtyObserver(out, options) : createPlainObserver(out, options);
}
