// The GitHub client's own rules, against the OpenAPI-checked stand-in: GitHub's documented order for rate limits
// (retry-after, then x-ratelimit-reset, else a minute and more), a wait beyond the budget not made, a 409 never
// retried, writes kept under 80 a minute and sent one at a time, and the breaker after an outage.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createGitHubApi } from '../../src/github/client.js';
import { rateLimitWaitMs, newRateLimitState, waitForRateLimit } from '../../src/github/rate-limit.js';
import { startGitHubApi, type GitHubApi as StandIn } from '../support/github-api/server.js';

const repo = { owner: 'acme', repo: 'shop' };
let github: StandIn | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await github?.stop();
  github = undefined;
});

describe('how long a rate limit asks to wait', () => {
  const now = 1_000_000_000_000;
  test('retry-after first, then x-ratelimit-reset (plus a second), else a minute doubling per retry', () => {
    const reset = String(now / 1000 + 30);
    expect(rateLimitWaitMs({ status: 403, response: { headers: { 'retry-after': '7', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } } }, 0, now)).toBe(7000);
    expect(rateLimitWaitMs({ status: 429, response: { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset } } }, 0, now)).toBe(31_000);
    expect(rateLimitWaitMs({ status: 429, response: { headers: {} } }, 0, now)).toBe(60_000);
    expect(rateLimitWaitMs({ status: 403, message: 'You have exceeded a secondary rate limit', response: { headers: {} } }, 2, now)).toBe(240_000);
  });

  test('a 403 without any of it is a permission problem, not a limit; other statuses are not limits', () => {
    expect(rateLimitWaitMs({ status: 403, message: 'Resource not accessible by integration', response: { headers: {} } }, 0, now)).toBeUndefined();
    expect(rateLimitWaitMs({ status: 500, response: { headers: { 'retry-after': '1' } } }, 0, now)).toBeUndefined();
  });
});

describe('writes', () => {
  test('the 81st write within a minute waits for the oldest to leave the window', async () => {
    vi.useFakeTimers({ now: 0 });
    const state = newRateLimitState();
    const sent: number[] = [];
    const write = () => waitForRateLimit(async () => sent.push(Date.now()), { method: 'POST', maxWaitMs: 60_000, state });
    for (let n = 0; n < 80; n++) await write();
    expect(sent.every((at) => at === 0)).toBe(true);
    const late = write();
    await vi.advanceTimersByTimeAsync(59_999);
    expect(sent).toHaveLength(80);
    await vi.advanceTimersByTimeAsync(1);
    await late;
    expect(sent.at(-1)).toBe(60_000);
  });

  test('are sent one at a time: the second starts when the first has been answered', async () => {
    const state = newRateLimitState();
    const events: string[] = [];
    const write = (name: string) =>
      waitForRateLimit(
        async () => {
          events.push(`${name} start`);
          await new Promise((resolve) => setTimeout(resolve, 20));
          events.push(`${name} end`);
        },
        { method: 'PATCH', maxWaitMs: 60_000, state },
      );
    await Promise.all([write('a'), write('b')]);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end']);
  });
});

describe('the client (createGitHubApi)', () => {
  test('an unexpected answer (a bug of ours, a strange shape) fails that feature only: the API is not called down', async () => {
    github = await startGitHubApi();
    const api = createGitHubApi({ token: github.token, baseUrl: github.url });
    const broken = await api.attempt('release', 'contents: write', async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'sha')");
    });
    expect(broken).toMatchObject({ ok: false, reason: expect.stringContaining('unexpected answer') });
    expect(await api.attempt('deployments', 'deployments: write', (octokit) => octokit.rest.repos.listDeployments(repo))).toMatchObject({ ok: true });
  });

  test('a rate limit asking to wait longer than the budget is not waited for: the feature is skipped with the reason', async () => {
    github = await startGitHubApi();
    github.faults.add({ answer: 'secondary-rate-limit', status: 429 });
    const api = createGitHubApi({ token: github.token, baseUrl: github.url, maxRateLimitWaitMs: 500 });
    const started = Date.now();
    const result = await api.attempt('deployments', 'deployments: write', (octokit) => octokit.rest.repos.listDeployments(repo));
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('rate limited') });
    expect(Date.now() - started).toBeLessThan(500);
    expect(api.notices).toEqual([expect.stringMatching(/^GitHub deployments: skipped, rate limited: .*the GitHub features after it were skipped too/)]);
    // The limit is spent for this run: later features do not ask again.
    const later = await api.attempt('PR comment', 'pull-requests: write', (octokit) => octokit.rest.issues.listComments({ ...repo, issue_number: 1 }));
    expect(later).toMatchObject({ ok: false, reason: expect.stringContaining('rate limited') });
    expect(api.calls()).toBe(1);
  });

  test('a 409 deployment conflict is answered once, never retried', async () => {
    github = await startGitHubApi();
    const [sha] = github.state.addCommits(['feat: one']);
    github.state.deploymentConflict = () => 'Conflict: Commit status checks failed for main.';
    const api = createGitHubApi({ token: github.token, baseUrl: github.url, retryBaseMs: 1 });
    const result = await api.attempt('deployments', 'deployments: write', (octokit) => octokit.rest.repos.createDeployment({ ...repo, ref: sha!, environment: 'production', required_contexts: [], auto_merge: false }));
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('HTTP 409') });
    expect(github.calls('POST /repos/{owner}/{repo}/deployments')).toBe(1);
    expect(github.violations).toEqual([]);
  });

  test('5xx are retried twice; then the API counts as down and later calls are not sent', async () => {
    github = await startGitHubApi();
    github.faults.add({ answer: 'server-error' });
    const api = createGitHubApi({ token: github.token, baseUrl: github.url, retryBaseMs: 1 });
    const first = await api.attempt('deployments', 'deployments: write', (octokit) => octokit.rest.repos.listDeployments(repo));
    expect(first).toMatchObject({ ok: false, reason: expect.stringMatching(/^GitHub API unreachable \(HTTP 500/) });
    expect(api.calls()).toBe(3);
    const later = await api.attempt('PR comment', 'pull-requests: write', (octokit) => octokit.rest.issues.listComments({ ...repo, issue_number: 1 }));
    expect(later).toMatchObject({ ok: false });
    expect(api.calls()).toBe(3);
    expect(api.notices).toHaveLength(1);
  });
});
