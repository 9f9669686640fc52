// The job summary ($GITHUB_STEP_SUMMARY): result first, then a section per stage that ran, the seed's Deployment
// Summary, notices, and on failure the reason with the debug details folded. Reads only the Deployment model.
import { STAGE_IDS } from '../engine/model.js';
import type { Deployment } from '../engine/model.js';
import { formatDuration } from '../config/units.js';
import { collectDebug } from './deployment-facts.js';
import type { DebugItem } from './deployment-facts.js';
import { STAGE_NAMES } from './labels.js';
import { details, escapeText, fence, inlineCode } from './markdown.js';
import { renderStageSection } from './summary-sections.js';
import { renderDeploymentSummary, renderResultBlock } from './summary-outcome.js';

/** Command output is already a capped tail; this keeps a summary readable when a tool is chatty. */
const OUTPUT_TAIL_LINES = 60;

function tail(output: string): { text: string; cut: number } {
  const lines = output.replace(/\n+$/, '').split('\n');
  const cut = Math.max(0, lines.length - OUTPUT_TAIL_LINES);
  return { text: lines.slice(cut).join('\n'), cut };
}

/** One failure's debug details, folded: expected, got, detail, and the tail of its output in a fence. */
export function renderDebugItem(item: DebugItem): string {
  const lines: string[] = [];
  if (item.expected !== undefined) lines.push(`- **Expected:** ${escapeText(item.expected)}`);
  if (item.got !== undefined) lines.push(`- **Got:** ${escapeText(item.got)}`);
  if (item.detail !== '') lines.push(`- **Detail:** ${escapeText(item.detail)}`);
  const blocks = [lines.join('\n')];
  if (item.output !== undefined && item.output.trim() !== '') {
    const { text, cut } = tail(item.output);
    blocks.push(`Output${cut > 0 ? ` (last ${OUTPUT_TAIL_LINES} lines)` : ''}:`, fence(text, 'text'));
  }
  return details(`${STAGE_NAMES[item.stage]}: ${item.subject}`, blocks.filter((b) => b !== '').join('\n\n'));
}

function renderFailure(d: Deployment): string | undefined {
  if (d.result === undefined || d.result === 'success') return undefined;
  const stage = d.failedStage ? ` at ${STAGE_NAMES[d.failedStage]}` : '';
  const blocks = [`### Failure${stage}`];
  if (d.reason !== undefined) blocks.push(`**Failure reason:** ${escapeText(d.reason)}`);
  const debug = collectDebug(d);
  if (debug.length > 0) blocks.push('**Debug details:**', ...debug.map(renderDebugItem));
  return blocks.join('\n\n');
}

function renderRunFacts(d: Deployment): string {
  const lines = [`**Deployment ID:** ${inlineCode(d.id)}`];
  if (d.durationMs !== undefined) lines.push(`**Duration:** ${formatDuration(d.durationMs)}`);
  if (d.sha !== undefined) lines.push(`**Commit:** ${inlineCode(d.sha)}`);
  if (d.deploymentId !== undefined) lines.push(`**GitHub deployment:** ${inlineCode(d.deploymentId)}`);
  if (d.releaseUrl !== undefined) lines.push(`**Release:** ${escapeText(d.releaseUrl)}`);
  if (d.reportFile !== undefined) lines.push(`**Report:** ${inlineCode(d.reportFile)}`);
  return lines.join('<br>\n');
}

function renderNotices(d: Deployment): string | undefined {
  if (d.notices.length === 0) return undefined;
  return ['**Notices:**', ...d.notices.map((n) => `- ${escapeText(n)}`)].join('\n');
}

export function renderSummary(d: Deployment): string {
  const blocks = [
    renderResultBlock(d),
    // `---` between sections, as in the seed's execution trace.
    ...STAGE_IDS.map((id) => renderStageSection(d.stages[id])).flatMap((section) => (section ? ['---', section] : [])),
    '---',
    renderDeploymentSummary(d),
    renderRunFacts(d),
    renderNotices(d),
    renderFailure(d),
  ];
  return `${blocks.filter((b): b is string => b !== undefined).join('\n\n')}\n`;
}
