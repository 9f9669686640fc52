// The job summary section the action's post step writes when it finished a main step's run that was killed: what
// happened (where the main step stopped, what the post step did), production's rollback with its health re-check,
// the record, the GitHub deployments it closed, and the command to run by hand if the rollback failed.
import type { Recovery } from '../engine/recover-killed-run.js';
import type { ClosedDeployment } from '../github/close-killed-deployments.js';
import { MANUAL_ROLLBACK_PREFIX, RESULT_EMOJI, RESULT_LABELS } from './labels.js';
import { escapeCell, escapeText, fence, inlineCode, table } from './markdown.js';

export interface PostStepReport {
  recovery: Recovery;
  /** Where the record of the stopped run was appended. */
  recordsFile: string;
  /** The GitHub deployments the main step left in progress, closed with the outcome. */
  github?: ClosedDeployment[];
}

export function renderPostStepSummary({ recovery, recordsFile, github = [] }: PostStepReport): string {
  const { record, rollback } = recovery;
  const label = rollback?.status === 'failed' ? 'ROLLBACK FAILED' : RESULT_LABELS[record.result];
  const heading = `## ${RESULT_EMOJI[record.result]} ${label} (post step) — ${escapeText(record.target)} ${escapeText(record.version)}`;
  const rows: string[][] = [['Main step', `stopped ${escapeCell(recovery.stoppedAt)}`]];
  if (rollback) {
    if (rollback.snapshotId) rows.push(['Snapshot', inlineCode(rollback.snapshotId, { inTable: true })]);
    rows.push(['Rollback', escapeCell(rollback.detail)]);
    rows.push(['Health after', rollback.healthAfter ? `${rollback.healthAfter.ok ? '✅' : '❌'} ${escapeCell(rollback.healthAfter.detail)}` : 'not checked']);
  } else {
    rows.push(['Production', record.deployedTo.includes('production') ? `runs ${escapeCell(record.version)}, verified before the main step stopped` : 'unchanged by this run']);
  }
  rows.push(['Record', inlineCode(recordsFile, { inTable: true })]);
  for (const closed of github) rows.push([`GitHub deployment #${closed.id}`, `${escapeCell(closed.environment)} → \`${closed.state}\`: ${escapeCell(closed.description)}`]);
  const blocks = [heading, `**What happened:** the main step was ${escapeText(record.reason ?? 'stopped')}.`, table(['Post step', 'Detail'], rows)];
  if (rollback?.manualCommand) blocks.push(`**${escapeText(MANUAL_ROLLBACK_PREFIX)}**`, fence(rollback.manualCommand, 'sh'));
  return `${blocks.join('\n\n')}\n`;
}
