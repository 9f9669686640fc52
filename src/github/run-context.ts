// Where this run sits on GitHub, read once from the Actions context (@actions/github reads the event payload and
// GITHUB_* at import): the repository, the commit to deploy (the PR head on pull_request, so deployments show on the
// pull request), the pull request of the event, and the run's page for log links.
import { context } from '@actions/github';

export interface PullRequestRef {
  number: number;
  /** html_url */
  url: string;
  headSha: string;
  /** The head branch lives in a fork: its token is read-only. */
  fork: boolean;
}

export interface GitHubRunContext {
  owner: string;
  repo: string;
  /** https://github.com */
  serverUrl: string;
  /** https://github.com/owner/repo/actions/runs/123 */
  runUrl: string;
  runId: number;
  eventName: string;
  /** The commit deployed: the PR head on pull_request events, else GITHUB_SHA. */
  sha: string;
  /** refs/heads/main, refs/tags/v1.2.3, refs/pull/7/merge */
  ref: string;
  /** The pull request of a pull_request / pull_request_target event. */
  pullRequest?: PullRequestRef;
}

/** What GitHub says of a pull request, in an event payload or an API answer. */
export interface PullRequestPayload {
  number: number;
  html_url?: string;
  head: { sha: string; repo?: { full_name?: string } | null };
  base: { repo: { full_name: string } };
}

/** A pull request as the run knows it; its head branch in another repository makes it a fork's (read-only token). */
export function pullRequestRef(pr: PullRequestPayload, fallbackUrl: string): PullRequestRef {
  return { number: pr.number, url: pr.html_url ?? fallbackUrl, headSha: pr.head.sha, fork: pr.head.repo?.full_name !== pr.base.repo.full_name };
}

export function readRunContext(): GitHubRunContext {
  const { owner, repo } = context.repo;
  const pr = context.payload.pull_request as PullRequestPayload | undefined;
  const serverUrl = context.serverUrl.replace(/\/+$/, '');
  const pullRequest = pr ? pullRequestRef(pr, `${serverUrl}/${owner}/${repo}/pull/${pr.number}`) : undefined;
  return {
    owner,
    repo,
    serverUrl,
    runId: context.runId,
    runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`,
    eventName: context.eventName,
    sha: pullRequest?.headSha ?? context.sha,
    ref: context.ref,
    ...(pullRequest ? { pullRequest } : {}),
  };
}
