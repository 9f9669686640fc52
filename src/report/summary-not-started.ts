// The job summary of an action run that stopped before any stage ran (a bad config or bad inputs): what is wrong and
// where, one row per config problem, and that nothing ran.
import type { ConfigProblem } from '../config/problems.js';
import { RESULT_EMOJI, RESULT_LABELS } from './labels.js';
import { escapeCell, escapeText, inlineCode, table } from './markdown.js';

export interface NotStartedReport {
  /** One line: what stopped the run (for a bad config, its problems joined). */
  reason: string;
  /** The config's located problems, when the config is what failed; `file` as the reader should see it. */
  problems?: readonly ConfigProblem[];
}

export function renderNotStartedSummary(report: NotStartedReport): string {
  const problems = report.problems ?? [];
  const heading = `## ${RESULT_EMOJI.failed} ${RESULT_LABELS.failed} — ${problems.length > 0 ? 'the config is invalid' : 'bad input'}; nothing ran`;
  if (problems.length === 0) return `${heading}\n\n**Reason:** ${escapeText(report.reason)}\n`;
  const files = [...new Set(problems.map((problem) => problem.file))];
  const count = `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'}`;
  const rows = problems.map((problem) => [
    inlineCode(`${problem.file}:${problem.line}:${problem.column}`, { inTable: true }),
    problem.path === '' ? '—' : inlineCode(problem.path, { inTable: true }),
    escapeCell(problem.message),
  ]);
  return [
    heading,
    `**${count} in ${files.map((file) => inlineCode(file)).join(', ')}:** no command of any stage ran and nothing was deployed.`,
    table(['Where', 'Setting', 'Problem'], rows),
  ].join('\n\n') + '\n';
}
