// The job summary's GitHub part, when the GitHub features ran (`deployment.github`): each environment's deployment
// with its state and link, who approved (the validate stage's approvals), the release, the sticky PR comment, the
// alert issue, and the run with the number of API calls it made. The PR comment shows the same part. Logins are
// written without `@`, so an edit of the comment never notifies anyone.
import type { Deployment, GitHubDeploymentRecord } from '../engine/model.js';
import { markOf } from './labels.js';
import { escapeCell, escapeText, link, table } from './markdown.js';

const STATE_LABELS: Record<GitHubDeploymentRecord['state'], string> = {
  in_progress: '⏳ in progress',
  success: '✅ success',
  failure: '❌ failure',
  error: '⚠️ error',
};

function renderApprovals(d: Deployment): string[] {
  const approvals = d.stages.validate.data?.review.approvals;
  if (approvals === undefined) return [];
  const on = approvals.pullRequest ? ` on ${link(`#${approvals.pullRequest.number}`, approvals.pullRequest.url)}` : '';
  const lines: string[] = [];
  if (approvals.approvers?.length) lines.push(`- **Approved by:** ${approvals.approvers.map((login) => escapeText(login)).join(', ')}${on}`);
  if (approvals.changesRequestedBy?.length) {
    lines.push(`- **Changes requested by:** ${approvals.changesRequestedBy.map((login) => escapeText(login)).join(', ')}${on}`);
  }
  return lines;
}

export function renderGitHubFacts(d: Deployment): string | undefined {
  const github = d.github;
  if (github === undefined) return undefined;
  const blocks = ['### GitHub'];
  if (github.deployments.length > 0) {
    const rows = github.deployments.map((deployment) => [
      escapeCell(deployment.environment),
      link(`#${deployment.id}`, deployment.url),
      `${STATE_LABELS[deployment.state]}${deployment.createdByJob ? " (the job's own deployment)" : ''}`,
    ]);
    blocks.push(table(['Environment', 'Deployment', 'State'], rows));
  }
  const lines = renderApprovals(d);
  if (github.release) {
    const release = github.release.url ? link(github.release.tag, github.release.url) : escapeText(github.release.tag);
    lines.push(`- ${markOf(github.release.status)} **Release:** ${release} — ${escapeText(github.release.detail)}`);
  }
  if (github.comment) {
    const edits = `${github.comment.edits} edit${github.comment.edits === 1 ? '' : 's'}`;
    lines.push(`- **Pull request comment:** ${link(`on #${github.comment.pullRequest}`, github.comment.url)} (${edits})`);
  }
  if (github.alertIssue) {
    lines.push(`- **Alert issue:** ${link(`#${github.alertIssue.number}`, github.alertIssue.url)} ${github.alertIssue.action}`);
  }
  lines.push(`- ${link(`Run on ${github.repository}`, github.runUrl)} · ${github.apiCalls} GitHub API call${github.apiCalls === 1 ? '' : 's'}`);
  blocks.push(lines.join('\n'));
  return blocks.join('\n\n');
}
