// The outcome parts of the job summary: the result block that opens it (with the manual
// rollback command when a rollback failed) and the seed's Deployment Summary with versions and rollback availability.
import type { Deployment } from '../engine/model.js';
import {
  describeRollbackAvailability,
  describeVersions,
  formatRollbackAvailability,
  resultLabel,
  summarizeStages,
} from './deployment-facts.js';
import { MANUAL_ROLLBACK_PREFIX, RESULT_EMOJI, STAGE_NAMES, STATUS_EMOJI } from './labels.js';
import { escapeCell, escapeText, fence, inlineCode, table } from './markdown.js';

/**
 * `## ✅ SUCCESS — web 1.2.3`, then the reason on failure. When a rollback failed, the heading itself carries the
 * manual command (the first line of every report), followed by a bold warning and the command in a code block.
 */
export function renderResultBlock(d: Deployment): string {
  const icon = RESULT_EMOJI[d.result ?? 'in-progress'];
  const heading = `## ${icon} ${resultLabel(d)} — ${escapeText(d.target)} ${escapeText(d.version)}`;
  const blocks: string[] = [];
  if (d.manualRollback !== undefined) {
    blocks.push(`${heading} · ${escapeText(MANUAL_ROLLBACK_PREFIX)} ${inlineCode(d.manualRollback)}`);
    blocks.push(
      d.manualRollbackEnvironment === 'staging'
        ? "**⚠️ Staging's automatic rollback failed: staging may be running a broken release (production was not touched). Roll it back by hand:**"
        : '**⚠️ The automatic rollback failed: production may be running a broken release. Roll it back by hand:**',
      fence(d.manualRollback, 'sh'),
    );
  } else {
    blocks.push(heading);
  }
  if (d.reason !== undefined) {
    const where = d.failedStage ? ` (${STAGE_NAMES[d.failedStage]})` : '';
    blocks.push(`**Reason${where}:** ${escapeText(d.reason)}`);
  }
  return blocks.join('\n\n');
}

/** The seed's **Deployment Summary** table, result, versions and rollback availability. */
export function renderDeploymentSummary(d: Deployment): string {
  const rows = summarizeStages(d).map((row) => [
    row.name,
    `${STATUS_EMOJI[row.status]} ${row.statusLabel}`,
    row.duration,
    row.notes === '' ? '—' : escapeCell(row.notes),
  ]);
  const versions = describeVersions(d);
  const rollback = formatRollbackAvailability(describeRollbackAvailability(d), (id) => inlineCode(id));
  return [
    '## Deployment Summary',
    table(['Stage', 'Status', 'Duration', 'Notes'], rows),
    `**Deployment Result:** ${resultLabel(d)}`,
    ['**Version:**', `- Previous: ${escapeText(versions.previous)}`, `- Current: ${escapeText(versions.current)}`].join('\n'),
    `**Rollback Available:** ${rollback}`,
  ].join('\n\n');
}
