// The approvals of the review gate, counted against the GitHub API stand-in: the latest standing review of each
// reviewer (COMMENTED keeps an approval, DISMISSED withdraws it, CHANGES_REQUESTED blocks), paginated reviews, the
// merged pull request of a push found by merge_commit_sha, and a push without one (fails, or passes by config).
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { countApprovals } from '../../src/github/approvals.js';
import type { GitHubApi as ProductApi } from '../../src/github/client.js';
import { pullRequestFinder } from '../../src/github/pull-request.js';
import type { GitHubRunContext } from '../../src/github/run-context.js';
import type { Review } from '../support/github-api/state.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api/server.js';
import { clientFor, runContext } from './context.js';

const PR_12 = { number: 12, url: 'https://github.com/octo/shop/pull/12' };
const OTHER_MERGE = 'e'.repeat(40);

let github: GitHubApi;
let api: ProductApi;
let sha: string;
let push: GitHubRunContext;
let pullRequest: GitHubRunContext;
beforeEach(async () => {
  github = await startGitHubApi({ owner: 'octo', repo: 'shop', serverUrl: 'https://github.com' });
  api = clientFor(github);
  [sha] = github.state.addCommits(['feat: search']) as [string];
  push = runContext(github, { sha });
  pullRequest = { ...push, eventName: 'pull_request', ref: 'refs/pull/12/merge', pullRequest: { ...PR_12, headSha: sha, fork: false } };
});
afterEach(async () => {
  await github.stop();
  expect(github.violations).toEqual([]);
});

/** Reviews of a pull request (opened at `sha` when not yet there), submitted a minute apart in the order given. */
function review(pull: number, ...entries: [login: string | null, state: Review['state']][]): void {
  if (!github.state.pulls.some((candidate) => candidate.number === pull)) github.state.addPull({ number: pull, headSha: sha });
  entries.forEach(([login, state], index) => github.state.addReview(pull, { login, state, submittedAt: new Date(Date.UTC(2026, 10, 1, 12, index)).toISOString().replace('.000', '') }));
}

const count = (required: number, context = pullRequest, onNoPullRequest: 'fail' | 'pass' = 'fail') => countApprovals(api, context, pullRequestFinder(api, context), required, onNoPullRequest);

describe('the latest standing review of each reviewer', () => {
  test('APPROVED then COMMENTED is still approved; the gate row names who approved', async () => {
    review(12, ['alice', 'APPROVED'], ['alice', 'COMMENTED'], ['bob', 'APPROVED'], ['carol', 'COMMENTED'], ['dave', 'PENDING']);
    expect(await count(2)).toEqual({ required: 2, approved: 2, approvers: ['alice', 'bob'], changesRequestedBy: [], pullRequest: PR_12, status: 'passed', detail: '2 of 2: alice, bob on #12' });
  });

  test('only people with write access count: an outsider’s approval or request for changes is listed, not counted', async () => {
    review(12, ['alice', 'APPROVED']);
    github.state.addReview(12, { login: 'drive-by', state: 'APPROVED', association: 'CONTRIBUTOR' });
    github.state.addReview(12, { login: 'troll', state: 'CHANGES_REQUESTED', association: 'NONE' });
    github.state.addReview(12, { login: 'maintainer', state: 'APPROVED', association: 'OWNER' });
    github.state.addReview(12, { login: 'helper', state: 'APPROVED', association: 'COLLABORATOR' });
    expect(await count(3)).toMatchObject({
      approved: 3,
      approvers: ['alice', 'maintainer', 'helper'],
      changesRequestedBy: [],
      status: 'passed',
      detail: '3 of 3: alice, maintainer, helper on #12; not counted (no write access): drive-by, troll',
    });
    expect(await count(4)).toMatchObject({ status: 'failed' });
  });

  test('APPROVED then DISMISSED is withdrawn', async () => {
    review(12, ['alice', 'APPROVED'], ['alice', 'DISMISSED'], ['bob', 'APPROVED']);
    expect(await count(2)).toMatchObject({ approved: 1, approvers: ['bob'], status: 'failed', detail: '1 of 2: bob on #12' });
  });

  test('CHANGES_REQUESTED blocks whatever the count, naming who; a later approval by the same reviewer lifts it', async () => {
    review(12, ['alice', 'APPROVED'], ['bob', 'APPROVED'], ['carol', 'CHANGES_REQUESTED'], ['carol', 'COMMENTED']);
    expect(await count(1)).toMatchObject({ approved: 2, changesRequestedBy: ['carol'], status: 'failed', detail: 'changes requested by carol (2 of 1: alice, bob on #12)' });
    github.state.addReview(12, { login: 'carol', state: 'APPROVED', submittedAt: '2026-11-02T00:00:00Z' });
    expect(await count(1)).toMatchObject({ approved: 3, changesRequestedBy: [], status: 'passed' });
  });

  test('order is by submission time, not by the order of the answer; a deleted account is skipped', async () => {
    github.state.addPull({ number: 12, headSha: sha });
    // Listed in the order created: the request for changes first, although it was submitted after the approval.
    github.state.addReview(12, { login: 'alice', state: 'CHANGES_REQUESTED', submittedAt: '2026-11-01T12:01:00Z' });
    github.state.addReview(12, { login: 'alice', state: 'APPROVED', submittedAt: '2026-11-01T12:00:00Z' });
    github.state.addReview(12, { login: null, state: 'APPROVED', submittedAt: '2026-11-01T12:02:00Z' });
    expect(await count(1)).toMatchObject({ approved: 0, changesRequestedBy: ['alice'], status: 'failed' });
  });

  test('every page of reviews is read', async () => {
    review(12, ...Array.from({ length: 120 }, (_, index) => [`reviewer${index}`, 'COMMENTED'] as [string, Review['state']]), ['alice', 'APPROVED']);
    expect(await count(1)).toMatchObject({ approved: 1, approvers: ['alice'], status: 'passed' });
    expect(github.calls('GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews')).toBe(2);
  });
});

describe('the pull request', () => {
  test('a push: the merged pull request found by merge_commit_sha', async () => {
    github.state.addPull({ number: 11, headSha: sha, mergeCommitSha: OTHER_MERGE });
    github.state.addPull({ number: 12, headSha: 'f'.repeat(40), mergeCommitSha: sha });
    review(11, ['mallory', 'APPROVED']);
    review(12, ['alice', 'APPROVED']);
    expect(await count(1, push)).toMatchObject({ approvers: ['alice'], pullRequest: PR_12, status: 'passed', detail: '1 of 1: alice on #12' });
  });

  test('a push without a pull request fails the gate with that reason, or passes (skipped) when configured', async () => {
    github.state.addPull({ number: 11, headSha: sha, mergeCommitSha: OTHER_MERGE });
    const short = sha.slice(0, 7);
    expect(await count(1, push)).toEqual({ required: 1, status: 'failed', detail: `cannot count approvals: commit ${short} was pushed without a pull request (none was merged as this commit)` });
    expect(await count(1, push, 'pass')).toEqual({
      required: 1,
      status: 'skipped',
      detail: `commit ${short} was pushed without a pull request (none was merged as this commit); passed as validate.review.no-pull-request is pass`,
    });
  });

  test('a pull request that could not be looked up fails even when no-pull-request is pass: a gate passes only on evidence', async () => {
    github.faults.add({ answer: 'not-accessible', when: (request) => request.route === 'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls' });
    expect(await count(1, push, 'pass')).toMatchObject({ status: 'failed', detail: expect.stringMatching(new RegExp(`^cannot count approvals: the pull request of ${sha.slice(0, 7)} could not be looked up: HTTP 403`)) });
  });

  test('reviews that cannot be read fail the gate with the reason', async () => {
    // The event names pull request #12, which GitHub does not know: its reviews answer 404.
    expect(await count(1)).toMatchObject({ pullRequest: PR_12, status: 'failed', detail: expect.stringMatching(/^cannot count approvals on #12: HTTP 404/) });
    expect(api.notices).toHaveLength(1);
  });
});
