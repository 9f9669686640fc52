// The approvals of the review gate, counted on a stand-in GitHub on loopback: the latest standing review of each
// reviewer (COMMENTED keeps an approval, DISMISSED withdraws it, CHANGES_REQUESTED blocks), paginated reviews, the
// merged pull request of a push found by merge_commit_sha, and a push without one (fails, or passes by config).
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { countApprovals } from '../../src/github/approvals.js';
import { createGitHubApi, type GitHubApi } from '../../src/github/client.js';
import { pullRequestFinder } from '../../src/github/pull-request.js';
import type { GitHubRunContext } from '../../src/github/run-context.js';
import { startGitHubStandIn, STAND_IN_REPO, type GitHubStandIn, type StoredReview } from './deployments-stand-in.js';

const SHA = 'd'.repeat(40);
const PUSH: GitHubRunContext = { ...STAND_IN_REPO, serverUrl: 'https://github.com', runUrl: 'https://github.com/octo/shop/actions/runs/42', runId: 42, eventName: 'push', sha: SHA, ref: 'refs/heads/main' };
const PULL_REQUEST: GitHubRunContext = {
  ...PUSH,
  eventName: 'pull_request',
  ref: 'refs/pull/12/merge',
  pullRequest: { number: 12, url: 'https://github.com/octo/shop/pull/12', headSha: SHA, fork: false },
};
const PR_12 = { number: 12, url: 'https://github.com/octo/shop/pull/12' };

let github: GitHubStandIn;
let api: GitHubApi;
beforeEach(async () => {
  github = await startGitHubStandIn();
  api = createGitHubApi({ token: 'ghs_test-token', baseUrl: github.url, retryBaseMs: 1 });
});
afterEach(async () => {
  await github[Symbol.asyncDispose]();
});

let nextId = 1;
/** Reviews submitted a minute apart, in the order given. */
function reviews(...entries: [user: string | null, state: string][]): StoredReview[] {
  return entries.map(([user, state], index) => ({ id: nextId++, user, state, ...(state === 'PENDING' ? {} : { submitted_at: new Date(Date.UTC(2026, 10, 1, 12, index)).toISOString() }) }));
}

const count = (required: number, context = PULL_REQUEST, onNoPullRequest: 'fail' | 'pass' = 'fail') => countApprovals(api, context, pullRequestFinder(api, context), required, onNoPullRequest);

describe('the latest standing review of each reviewer', () => {
  test('APPROVED then COMMENTED is still approved; the gate row names who approved', async () => {
    github.reviews.set(12, reviews(['alice', 'APPROVED'], ['alice', 'COMMENTED'], ['bob', 'APPROVED'], ['carol', 'COMMENTED'], ['dave', 'PENDING']));
    expect(await count(2)).toEqual({ required: 2, approved: 2, approvers: ['alice', 'bob'], changesRequestedBy: [], pullRequest: PR_12, status: 'passed', detail: '2 of 2: alice, bob on #12' });
  });

  test('APPROVED then DISMISSED is withdrawn', async () => {
    github.reviews.set(12, reviews(['alice', 'APPROVED'], ['alice', 'DISMISSED'], ['bob', 'APPROVED']));
    expect(await count(2)).toMatchObject({ approved: 1, approvers: ['bob'], status: 'failed', detail: '1 of 2: bob on #12' });
  });

  test('CHANGES_REQUESTED blocks whatever the count, naming who; a later approval by the same reviewer lifts it', async () => {
    github.reviews.set(12, reviews(['alice', 'APPROVED'], ['bob', 'APPROVED'], ['carol', 'CHANGES_REQUESTED'], ['carol', 'COMMENTED']));
    expect(await count(1)).toMatchObject({ approved: 2, changesRequestedBy: ['carol'], status: 'failed', detail: 'changes requested by carol (2 of 1: alice, bob on #12)' });
    github.reviews.get(12)!.push(...reviews(['carol', 'APPROVED']).map((review) => ({ ...review, submitted_at: '2026-11-02T00:00:00.000Z' })));
    expect(await count(1)).toMatchObject({ approved: 3, changesRequestedBy: [], status: 'passed' });
  });

  test('order is by submission time, not by the order of the answer; a deleted account is skipped', async () => {
    const [approved, changes] = reviews(['alice', 'APPROVED'], ['alice', 'CHANGES_REQUESTED']);
    github.reviews.set(12, [changes!, approved!, ...reviews([null, 'APPROVED'])]);
    expect(await count(1)).toMatchObject({ approved: 0, changesRequestedBy: ['alice'], status: 'failed' });
  });

  test('every page of reviews is read', async () => {
    github.reviews.set(12, reviews(...Array.from({ length: 120 }, (_, index) => [`reviewer${index}`, 'COMMENTED'] as [string, string]), ['alice', 'APPROVED']));
    expect(await count(1)).toMatchObject({ approved: 1, approvers: ['alice'], status: 'passed' });
    expect(github.requests.filter((request) => request.path.includes('/reviews'))).toHaveLength(2);
  });
});

describe('the pull request', () => {
  test('a push: the merged pull request found by merge_commit_sha', async () => {
    github.commitPulls.set(SHA, [
      { number: 11, merge_commit_sha: 'e'.repeat(40), head: SHA },
      { number: 12, merge_commit_sha: SHA, head: 'f'.repeat(40) },
    ]);
    github.reviews.set(11, reviews(['mallory', 'APPROVED']));
    github.reviews.set(12, reviews(['alice', 'APPROVED']));
    expect(await count(1, PUSH)).toMatchObject({ approvers: ['alice'], pullRequest: PR_12, status: 'passed', detail: '1 of 1: alice on #12' });
  });

  test('a push without a pull request fails the gate with that reason, or passes (skipped) when configured', async () => {
    github.commitPulls.set(SHA, [{ number: 11, merge_commit_sha: 'e'.repeat(40), head: SHA }]);
    expect(await count(1, PUSH)).toEqual({ required: 1, status: 'failed', detail: 'cannot count approvals: commit ddddddd was pushed without a pull request (none was merged as this commit)' });
    expect(await count(1, PUSH, 'pass')).toEqual({
      required: 1,
      status: 'skipped',
      detail: 'commit ddddddd was pushed without a pull request (none was merged as this commit); passed as validate.review.no-pull-request is pass',
    });
  });

  test('a pull request that could not be looked up fails even when no-pull-request is pass: a gate passes only on evidence', async () => {
    github.failNext('GET', /\/pulls$/, 403);
    expect(await count(1, PUSH, 'pass')).toMatchObject({ status: 'failed', detail: expect.stringMatching(/^cannot count approvals: the pull request of ddddddd could not be looked up: HTTP 403/) });
  });

  test('reviews that cannot be read fail the gate with the reason', async () => {
    github.failNext('GET', /\/reviews$/, 404);
    expect(await count(1)).toMatchObject({ pullRequest: PR_12, status: 'failed', detail: expect.stringMatching(/^cannot count approvals on #12: HTTP 404/) });
    expect(api.notices).toHaveLength(1);
  });
});
