// What a test of a GitHub module gives the module, against the GitHub API stand-in (__tests__/support/github-api/):
// the product's own client pointed at it (fast retries), and the run context of a workflow run in its repository.
import { createGitHubApi, type GitHubApi as ProductApi } from '../../src/github/client.js';
import type { GitHubRunContext } from '../../src/github/run-context.js';
import type { GitHubApi } from '../support/github-api/server.js';

/** The product's client for the stand-in. */
export function clientFor(github: GitHubApi): ProductApi {
  return createGitHubApi({ token: github.token, baseUrl: github.url, retryBaseMs: 1, requestTimeoutMs: 5000 });
}

/** Run 42 of a push to the default branch at `sha`, in the stand-in's repository. */
export function runContext(github: GitHubApi, overrides: Partial<GitHubRunContext> & { sha: string }): GitHubRunContext {
  const { owner, repo, serverUrl } = github.state;
  return { owner, repo, serverUrl, runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/42`, runId: 42, eventName: 'push', ref: `refs/heads/${github.state.defaultBranch}`, ...overrides };
}

/** `METHOD /path?query` of every request made, in order. */
export function requestLines(github: GitHubApi): string[] {
  return github.requests.map((request) => `${request.method} ${request.path}${request.query.size > 0 ? `?${request.query}` : ''}`);
}
