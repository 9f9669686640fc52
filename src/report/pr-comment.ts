// The sticky PR comment: the job summary's result block and Deployment Summary (no per-stage sections, no links),
// with a hidden marker per target so one comment is found and edited as stages finish.
import type { Deployment } from '../engine/model.js';
import { renderDeploymentSummary, renderResultBlock } from './summary-outcome.js';

/** Find the comment with `body.includes(commentMarker(target))`. */
export function commentMarker(target: string): string {
  // `--` cannot appear inside an HTML comment; target names are config keys, but stay safe.
  return `<!-- meta-deploy:target=${target.replace(/--+/g, '-')} -->`;
}

/**
 * The marker goes last so the first line of the comment is the result (the rollback command when a rollback
 * failed), as in every report.
 */
export function renderPrComment(d: Deployment): string {
  return `${renderResultBlock(d)}\n\n${renderDeploymentSummary(d)}\n\n${commentMarker(d.target)}\n`;
}
