// The job summary section the action's post step writes when the main step stopped with production in flight: what
// happened (where the main step stopped), the snapshot it rolled back to, health after, and what to do if it failed.
import type { RollbackResult } from '../engine/rollback-environment.js';
import { MANUAL_ROLLBACK_PREFIX, RESULT_EMOJI, RESULT_LABELS } from './labels.js';
import { escapeCell, escapeText, fence, inlineCode, table } from './markdown.js';

export interface PostRollbackReport {
  target: string;
  /** The version the main step was deploying. */
  version: string;
  /** "the main step stopped during production verification (…)". */
  stopped: string;
  /** Where the record of this rollback was appended, if it ran. */
  recordsFile?: string;
  rollback: RollbackResult;
}

export function renderPostRollbackSummary(report: PostRollbackReport): string {
  const { rollback } = report;
  const result = rollback.ok ? 'rolled-back' : 'failed';
  const heading = `## ${RESULT_EMOJI[result]} ${rollback.ok ? RESULT_LABELS['rolled-back'] : 'ROLLBACK FAILED'} (post step) — ${escapeText(report.target)} ${escapeText(report.version)}`;
  const what = rollback.ok
    ? `${report.stopped}, before production was verified; the post step rolled production back.`
    : `${report.stopped}, before production was verified; the post step could not roll production back, so it may be running the unverified release.`;
  const rows: string[][] = [['Rollback', escapeCell(rollback.detail)]];
  if (rollback.snapshotId) rows.unshift(['Snapshot', inlineCode(rollback.snapshotId, { inTable: true })]);
  if (rollback.ok && rollback.restoredVersion) rows.push(['Production now runs', escapeCell(rollback.restoredVersion)]);
  rows.push(['Health after', rollback.healthAfter ? `${rollback.healthAfter.ok ? '✅' : '❌'} ${escapeCell(rollback.healthAfter.detail)}` : rollback.ok ? 'no health checks configured' : 'not checked']);
  if (report.recordsFile) rows.push(['Record', inlineCode(report.recordsFile, { inTable: true })]);
  const blocks = [heading, `**What happened:** ${escapeText(what)}`, table(['Post step', 'Detail'], rows)];
  if (rollback.manualCommand) blocks.push(`**${escapeText(MANUAL_ROLLBACK_PREFIX)}**`, fence(rollback.manualCommand, 'sh'));
  return `${blocks.join('\n\n')}\n`;
}
