// The pull request a run belongs to: the event's own on pull_request; on a push, the merged pull request that
// brought the commit (`GET /commits/{sha}/pulls`, matched by merge_commit_sha). Asked once per run: the review gate
// and the sticky comment share the answer.
import type { GitHubApi } from './client.js';
import { pullRequestRef, type GitHubRunContext, type PullRequestRef } from './run-context.js';

/** `lookupFailed`: the API did not answer, so whether there is a pull request is unknown (a gate must not pass). */
export type PullRequestLookup = { found: PullRequestRef } | { none: string; lookupFailed?: true };

export function pullRequestFinder(api: GitHubApi, context: GitHubRunContext): () => Promise<PullRequestLookup> {
  let answer: Promise<PullRequestLookup> | undefined;
  return () => (answer ??= lookUp(api, context));
}

async function lookUp(api: GitHubApi, context: GitHubRunContext): Promise<PullRequestLookup> {
  if (context.pullRequest) return { found: context.pullRequest };
  if (context.ref.startsWith('refs/tags/')) return { none: `a tag push (${context.ref.slice('refs/tags/'.length)}) has no pull request` };
  const pulls = await api.attempt('pull request lookup', 'pull-requests: read', async (octokit) => {
    const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ owner: context.owner, repo: context.repo, commit_sha: context.sha });
    return data;
  });
  if (!pulls.ok) return { none: `the pull request of ${context.sha.slice(0, 7)} could not be looked up: ${pulls.reason}`, lookupFailed: true };
  const merged = pulls.value.find((pull) => pull.merge_commit_sha === context.sha);
  if (!merged) return { none: `commit ${context.sha.slice(0, 7)} was pushed without a pull request (none was merged as this commit)` };
  return { found: pullRequestRef(merged, merged.html_url) };
}
