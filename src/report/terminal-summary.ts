// The terminal's closing summary: the seed's Deployment Summary as a box table (a plain table in logs), the result,
// versions, rollback availability, and on failure the reason with the debug details. The manual rollback command,
// when set, is the first line.
import type { Deployment, Result } from '../engine/model.js';
import { createPaint, toPlainText } from './ansi.js';
import type { Tone } from './ansi.js';
import { drawTable } from './box.js';
import {
  collectDebug,
  describeRollbackAvailability,
  describeVersions,
  formatRollbackAvailability,
  resultLabel,
  summarizeStages,
} from './deployment-facts.js';
import type { RowStatus } from './deployment-facts.js';
import { MANUAL_ROLLBACK_PREFIX, STAGE_MARKS, STAGE_NAMES } from './labels.js';

export interface TerminalOptions {
  /** Draw boxes and a live region (a terminal); otherwise plain lines for logs. */
  tty: boolean;
  /** ANSI colours. */
  color: boolean;
  /** Columns available (default 80, when the terminal does not say). */
  width?: number;
}

const DEFAULT_TERMINAL_WIDTH = 80;
/** Narrower than this, a box has no room for text; such a terminal wraps the boxes instead. */
const MIN_TERMINAL_WIDTH = 20;

/** The width to draw for: the terminal's, or 80 when unknown. */
export function terminalWidth(options: Pick<TerminalOptions, 'width'>): number {
  return Math.max(MIN_TERMINAL_WIDTH, options.width ?? DEFAULT_TERMINAL_WIDTH);
}
/** Lines of a failed step's output repeated in the closing summary. */
const DEBUG_OUTPUT_LINES = 10;

const ROW_TONES: Record<RowStatus, Tone | undefined> = {
  passed: 'ok',
  failed: 'bad',
  'rolled-back': 'warn',
  warning: 'warn',
  skipped: 'dim',
  'not-run': 'dim',
  running: 'info',
  pending: 'dim',
};

const RESULT_TONES: Record<Result | 'in-progress', Tone> = { success: 'ok', 'rolled-back': 'warn', failed: 'bad', 'in-progress': 'info' };

export function renderTerminalSummary(d: Deployment, options: TerminalOptions): string {
  const paint = createPaint(options.color);
  const plain = (text: string) => toPlainText(text).replace(/\n+/g, ' ');
  const lines: string[] = [];
  if (d.manualRollback !== undefined) lines.push(paint('bad', paint('bold', `✗ ${MANUAL_ROLLBACK_PREFIX} ${plain(d.manualRollback)}`)), '');

  lines.push(paint('bold', options.tty ? 'DEPLOYMENT SUMMARY' : 'Deployment Summary'));
  const rows = summarizeStages(d).map((row) => [
    { text: row.name },
    { text: `${STAGE_MARKS[row.status]} ${row.statusLabel}`, tone: ROW_TONES[row.status] },
    { text: row.duration },
    { text: plain(row.notes) || '—' },
  ]);
  lines.push(...drawTable(['Stage', 'Status', 'Duration', 'Notes'], rows, { framed: options.tty, maxWidth: options.tty ? terminalWidth(options) : undefined }, paint));
  lines.push('');

  lines.push(paint(RESULT_TONES[d.result ?? 'in-progress'], paint('bold', `Deployment Result: ${resultLabel(d)}`)));
  const versions = describeVersions(d);
  lines.push(`Previous version: ${plain(versions.previous)}`, `Current version: ${plain(versions.current)}`);
  lines.push(`Rollback Available: ${plain(formatRollbackAvailability(describeRollbackAvailability(d), (id) => id))}`);
  if (d.reason !== undefined) {
    const where = d.failedStage ? ` (${STAGE_NAMES[d.failedStage]})` : '';
    lines.push(paint('bad', `Reason${where}: ${plain(d.reason)}`));
  }

  const debug = d.result === 'success' ? [] : collectDebug(d);
  if (debug.length > 0) {
    lines.push('', paint('bold', 'Debug details:'));
    for (const item of debug) {
      lines.push(`  ${STAGE_NAMES[item.stage]}: ${plain(item.subject)}`);
      if (item.expected !== undefined) lines.push(`    expected: ${plain(item.expected)}`);
      if (item.got !== undefined) lines.push(`    got:      ${plain(item.got)}`);
      if (item.detail !== '') lines.push(`    detail:   ${plain(item.detail)}`);
      const output = toPlainText(item.output ?? '').replace(/\n+$/, '');
      if (output !== '') lines.push(...output.split('\n').slice(-DEBUG_OUTPUT_LINES).map((l) => paint('dim', `    |${l === '' ? '' : ` ${l}`}`)));
    }
  }
  if (d.notices.length > 0) lines.push('', 'Notices:', ...d.notices.map((n) => `  - ${plain(n)}`));
  if (d.reportFile !== undefined) lines.push('', `Report: ${plain(d.reportFile)}`);
  const upload = d.stages.build.data?.upload;
  if (upload !== undefined) lines.push(`Artifacts: ${plain(upload.url ?? upload.detail)}${upload.status === 'warning' ? ' (warning)' : ''}`);
  return `${lines.join('\n')}\n`;
}
