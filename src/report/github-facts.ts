// What GitHub did in a run, as Markdown for the surfaces read on GitHub (the PR comment, the job summary): a link
// to each environment's deployment with its last state, who approved the pull request, the release, the alert
// issue. Logins are written without `@`, so an edit of the comment never notifies anyone.
import type { Deployment, GitHubDeploymentRecord } from '../engine/model.js';
import { escapeText, link } from './markdown.js';

const DEPLOYMENT_STATE_EMOJI: Record<GitHubDeploymentRecord['state'], string> = {
  in_progress: '⏳',
  success: '✅',
  failure: '❌',
  error: '❌',
};

function describeDeployment(record: GitHubDeploymentRecord): string {
  const made = record.createdByJob ? ' (the job’s own)' : '';
  return `${link(record.environment, record.url)} ${DEPLOYMENT_STATE_EMOJI[record.state]} ${record.state}${made}`;
}

function approvalLines(d: Deployment): string[] {
  const approvals = d.stages.validate.data?.review.approvals;
  if (approvals?.approvers === undefined) return [];
  const on = approvals.pullRequest ? ` on ${link(`#${approvals.pullRequest.number}`, approvals.pullRequest.url)}` : '';
  const who = approvals.approvers.length === 0 ? 'nobody' : approvals.approvers.map(escapeText).join(', ');
  const lines = [`- **Approved by:** ${who} (${approvals.approvers.length} of ${approvals.required} required)${on}`];
  const blocking = approvals.changesRequestedBy ?? [];
  if (blocking.length > 0) lines.push(`- **Changes requested by:** ${blocking.map(escapeText).join(', ')}`);
  return lines;
}

function releaseLine(d: Deployment): string | undefined {
  const release = d.github?.release;
  if (release === undefined) return d.releaseUrl === undefined ? undefined : `- **Release:** ${link(d.releaseUrl, d.releaseUrl)}`;
  const name = release.url === undefined ? escapeText(release.tag) : link(release.tag, release.url);
  return `- **Release:** ${name}${release.detail === '' ? '' : ` — ${escapeText(release.detail)}`}`;
}

/** The GitHub facts of a run as a bullet list under a bold title; undefined when GitHub did nothing to show. */
export function renderGitHubFacts(d: Deployment): string | undefined {
  const deployments = d.github?.deployments ?? [];
  const issue = d.github?.alertIssue;
  const lines = [
    ...(deployments.length > 0 ? [`- **Deployments:** ${deployments.map(describeDeployment).join(' · ')}`] : []),
    ...approvalLines(d),
    releaseLine(d),
    ...(issue ? [`- **Alert issue:** ${link(`#${issue.number}`, issue.url)} ${issue.action}`] : []),
  ].filter((line): line is string => line !== undefined);
  return lines.length === 0 ? undefined : ['**GitHub:**', ...lines].join('\n');
}
