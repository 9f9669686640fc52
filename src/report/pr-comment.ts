// The sticky pull-request comment, one per target, found again by its hidden marker. While the run goes on: where it
// stands and the Deployment Summary so far. At the end: the result (ROLLED BACK or FAILED with the reason, first),
// the Deployment Summary, what GitHub did, and the debug details folded. Reads only the Deployment model.
// GitHub refuses a body over 65,536 characters: the folded details go first, then long free text is shortened; a
// cut is only ever a whole block or a model string, so no fence, tag or table is left open.
import type { Deployment, StageId } from '../engine/model.js';
import { collectDebug, summarizeStages } from './deployment-facts.js';
import type { StageSummaryRow } from './deployment-facts.js';
import { renderGitHubFacts } from './summary-github.js';
import { RESULT_EMOJI } from './labels.js';
import { escapeText, link } from './markdown.js';
import { renderDebugItem } from './summary.js';
import { renderDeploymentSummary, renderResultBlock } from './summary-outcome.js';

/** GitHub's limit on a comment body. Measured in UTF-16 units, which are never fewer than GitHub's characters. */
export const COMMENT_LIMIT = 65_536;

/** When even without the debug details the body is too long, each reason and note is cut to this many characters. */
const SHORT_TEXT = 500;

export interface PrCommentOptions {
  /** The run is over: the full summary, not the progress so far. */
  final: boolean;
  /** The run's page (where its job summary is). */
  runUrl: string;
  /** The hidden marker the comment is found by, `<!-- meta-deploy:<target> -->`. */
  marker: string;
}

/** Staging and production run only when selected, and verification only with production. */
function willRun(d: Deployment, id: StageId): boolean {
  if (id === 'staging' || id === 'production') return d.environments.includes(id);
  if (id === 'verify') return d.environments.includes('production');
  return true;
}

/** "staging passed, production next", or "production running" when rendered while a stage runs. */
function describeProgress(d: Deployment): string {
  const rows = summarizeStages(d);
  const running = rows.find((row) => row.status === 'running');
  if (running) return `${running.name.toLowerCase()} running`;
  const done = rows.filter((row) => row.status !== 'pending' && row.status !== 'not-run').at(-1);
  const next = rows.find((row) => row.status === 'pending' && willRun(d, row.id));
  const say = (row: StageSummaryRow, word: string) => `${row.name.toLowerCase()} ${word}`;
  return [done && say(done, done.statusLabel), next && say(next, 'next')].filter((part) => part !== undefined).join(', ');
}

/** `## ⏳ Deploying web 1.3.0 — staging passed, production next` while there is no result yet; the result after. */
function renderHead(d: Deployment): string {
  if (d.result !== undefined) return renderResultBlock(d);
  return `## ${RESULT_EMOJI['in-progress']} Deploying ${escapeText(d.target)} ${escapeText(d.version)} — ${describeProgress(d)}`;
}

interface Parts {
  head: string;
  summary: string;
  github?: string;
  /** One folded block per debug item, in the order the stages ran. */
  debug: string[];
}

function partsOf(d: Deployment, withDebug: boolean): Parts {
  return {
    head: renderHead(d),
    summary: renderDeploymentSummary(d),
    github: renderGitHubFacts(d),
    debug: withDebug ? collectDebug(d).map((item) => renderDebugItem(item)) : [],
  };
}

function assemble(marker: string, parts: Parts, debugKept: number, footer: string): string {
  const debug = parts.debug.slice(0, debugKept);
  const blocks = [marker, parts.head, parts.summary, parts.github, ...(debug.length > 0 ? ['**Debug details:**', ...debug] : []), footer];
  return `${blocks.filter((block): block is string => block !== undefined).join('\n\n')}\n`;
}

/** Cut by code points, so no emoji is split in half. */
function shorten(text: string): string {
  const chars = [...text];
  return chars.length <= SHORT_TEXT ? text : `${chars.slice(0, SHORT_TEXT).join('')}…`;
}

/** A copy whose free text (the reason, each stage's notes) is short; commands and versions are never cut. */
function withShortTexts(d: Deployment): Deployment {
  const copy = structuredClone(d);
  if (copy.reason !== undefined) copy.reason = shorten(copy.reason);
  for (const record of Object.values(copy.stages)) record.notes = shorten(record.notes);
  return copy;
}

function footerOf(options: PrCommentOptions, summaryLink: string): string {
  if (options.final) return `Full report: the ${summaryLink}.`;
  return `${link('Follow the run', options.runUrl)}; this comment is updated as each stage finishes.`;
}

export function renderPrComment(d: Deployment, options: PrCommentOptions): string {
  const summaryLink = link('job summary', options.runUrl);
  const parts = partsOf(d, options.final);
  const full = assemble(options.marker, parts, parts.debug.length, footerOf(options, summaryLink));
  if (full.length <= COMMENT_LIMIT) return full;
  // Whole debug details are left out, the last first, until the body fits.
  for (let kept = parts.debug.length - 1; kept >= 0; kept--) {
    const left = parts.debug.length - kept;
    const note = `**Too long for a comment:** ${left} of ${parts.debug.length} debug details left out; read them in the ${summaryLink}.`;
    const body = assemble(options.marker, parts, kept, note);
    if (body.length <= COMMENT_LIMIT) return body;
  }
  const note = `**Too long for a comment:** the debug details are left out and long notes shortened; read everything in the ${summaryLink}.`;
  return assemble(options.marker, partsOf(withShortTexts(d), false), 0, note);
}
