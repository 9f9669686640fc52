// The sticky PR comment against the GitHub API stand-in (GET /user, the comments of a pull request with Link-header
// pagination, create, edit, delete): created once then edited, found again on a rerun by marker and login, copies
// reduced to the oldest, written again when deleted, and a read-only token only a notice.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { PullRequestLookup } from '../../src/github/pull-request.js';
import type { GitHubRunContext } from '../../src/github/run-context.js';
import { commentMarker, createStickyComment } from '../../src/github/sticky-comment.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api/server.js';
import { clientFor, requestLines, runContext } from './context.js';

const PR = 12;
const MARKER = commentMarker('web');
const BOT = 'github-actions[bot]';

let github: GitHubApi;
let context: GitHubRunContext;
/** Pull request #12, open at the head. */
beforeEach(async () => {
  github = await startGitHubApi({ serverUrl: 'https://github.com' });
  const [sha] = github.state.addCommits(['feat: search']) as [string];
  github.state.addPull({ number: PR, headSha: sha });
  context = runContext(github, { sha, eventName: 'pull_request', ref: `refs/pull/${PR}/merge` });
});
afterEach(async () => {
  await github.stop();
  expect(github.violations).toEqual([]);
});

const WITH_PR = async (): Promise<PullRequestLookup> => ({ found: { number: PR, url: `https://github.com/acme/shop/pull/${PR}`, headSha: context.sha, fork: false } });

function sticky(findPullRequest = WITH_PR) {
  const api = clientFor(github);
  return { api, comment: createStickyComment(api, context, findPullRequest, 'web') };
}

const body = (text: string) => `${MARKER}\n\n${text}\n`;
/** The pull request's comments, oldest first: who wrote what. */
const comments = () => github.state.comments.map((comment) => ({ login: comment.user.login, body: comment.body }));
const seed = (login: string, text: string) => github.state.addComment(PR, text, login).id;
const commentsPath = `/repos/acme/shop/issues/${PR}/comments`;

describe('the sticky PR comment', () => {
  test('is created once, then only edited: at most one edit per stage, the final edit always', async () => {
    const { api, comment } = sticky();
    await comment.update(body('validate passed'), 'validate');
    await comment.update(body('validate passed, again'), 'validate');
    await comment.update(body('build passed'), 'build');
    await comment.final(body('SUCCESS'));
    await comment.update(body('too late'), 'staging');
    const id = github.state.comments[0]!.id;
    expect(requestLines(github)).toEqual([
      'GET /user',
      `GET ${commentsPath}?per_page=100`,
      `POST ${commentsPath}`,
      `PATCH /repos/acme/shop/issues/comments/${id}`,
      `PATCH /repos/acme/shop/issues/comments/${id}`,
    ]);
    expect(comments()).toEqual([{ login: BOT, body: body('SUCCESS') }]);
    expect(comment.record()).toEqual({ url: `https://github.com/acme/shop/pull/${PR}#issuecomment-${id}`, pullRequest: PR, edits: 2 });
    expect(api.notices).toEqual([]);
  });

  test('a body that did not change is not sent again', async () => {
    const { comment } = sticky();
    await comment.update(body('validate passed'), 'validate');
    await comment.final(body('validate passed'));
    expect(github.calls('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}')).toBe(0);
    expect(comment.record()?.edits).toBe(0);
  });

  test('a rerun finds its comment among many (paginated) and edits it: no new comment', async () => {
    for (let i = 0; i < 150; i++) seed('alice', `comment ${i}`);
    const ours = seed(BOT, body('last run'));
    const { comment } = sticky();
    await comment.update(body('validate passed'), 'validate');
    expect(github.calls('GET /repos/{owner}/{repo}/issues/{issue_number}/comments')).toBe(2);
    expect(requestLines(github).at(-1)).toBe(`PATCH /repos/acme/shop/issues/comments/${ours}`);
    expect(github.calls('POST /repos/{owner}/{repo}/issues/{issue_number}/comments')).toBe(0);
    expect(comments()).toHaveLength(151);
    expect(comments().at(-1)!.body).toBe(body('validate passed'));
    expect(comment.record()).toMatchObject({ pullRequest: PR, edits: 1 });
  });

  test('a comment with the marker by anyone else is never edited', async () => {
    seed('mallory', `quoting: ${MARKER}`);
    const { comment } = sticky();
    await comment.update(body('validate passed'), 'validate');
    expect(comments()).toEqual([
      { login: 'mallory', body: `quoting: ${MARKER}` },
      { login: BOT, body: body('validate passed') },
    ]);
  });

  test('with a personal token, the login is the token’s own: github-actions[bot]’s comment is someone else’s', async () => {
    github.state.user = 'deploy-bot';
    github.state.actor = github.state.userNamed('deploy-bot');
    seed(BOT, body('old'));
    seed('deploy-bot', body('ours'));
    const { comment } = sticky();
    await comment.update(body('validate passed'), 'validate');
    expect(comments()).toEqual([
      { login: BOT, body: body('old') },
      { login: 'deploy-bot', body: body('validate passed') },
    ]);
  });

  test('with a GitHub App token (GET /user refused, any [bot] login), the bot’s marker comment is found again: no new comment', async () => {
    github.state.actor = github.state.userNamed('deploy-app[bot]');
    seed('deploy-app[bot]', body('ours, from an earlier run'));
    seed('mallory', `quoting: ${MARKER}`);
    const { comment } = sticky();
    await comment.update(body('validate passed'), 'validate');
    expect(comments()).toEqual([
      { login: 'deploy-app[bot]', body: body('validate passed') },
      { login: 'mallory', body: `quoting: ${MARKER}` },
    ]);
  });

  test('another target’s comment is not this one', async () => {
    seed(BOT, `${commentMarker('api')}\n\napi`);
    const { comment } = sticky();
    await comment.update(body('validate passed'), 'validate');
    expect(comments()).toEqual([
      { login: BOT, body: `${commentMarker('api')}\n\napi` },
      { login: BOT, body: body('validate passed') },
    ]);
  });

  test('copies left by a race are reduced to the oldest, which is edited', async () => {
    seed(BOT, body('run A'));
    seed('alice', 'lgtm');
    const copy = seed(BOT, body('run B'));
    const { comment, api } = sticky();
    await comment.update(body('validate passed'), 'validate');
    expect(requestLines(github)).toContain(`DELETE /repos/acme/shop/issues/comments/${copy}`);
    expect(comments()).toEqual([
      { login: BOT, body: body('validate passed') },
      { login: 'alice', body: 'lgtm' },
    ]);
    expect(api.notices).toEqual([]);
  });

  test('a comment deleted during the run is written again', async () => {
    const { comment } = sticky();
    await comment.update(body('validate passed'), 'validate');
    const first = github.state.comments[0]!.id;
    github.state.comments.length = 0;
    await comment.update(body('build passed'), 'build');
    expect(comments()).toEqual([{ login: BOT, body: body('build passed') }]);
    const again = github.state.comments[0]!.id;
    expect(again).not.toBe(first);
    expect(comment.record()?.url).toMatch(new RegExp(`#issuecomment-${again}$`));
  });

  test('a read-only token (a fork PR) is one notice naming the permission, and nothing more is sent', async () => {
    github.faults.add({ answer: 'not-accessible', when: (request) => request.method !== 'GET' });
    const { api, comment } = sticky();
    await comment.update(body('validate passed'), 'validate');
    const sent = github.requests.length;
    await comment.update(body('build passed'), 'build');
    await comment.final(body('SUCCESS'));
    expect(github.requests).toHaveLength(sent);
    expect(requestLines(github).at(-1)).toBe(`POST ${commentsPath}`);
    expect(api.notices).toHaveLength(1);
    expect(api.notices[0]).toMatch(/^GitHub PR comment: skipped: .*HTTP 403.*give the job "pull-requests: write" under permissions:/);
    expect(comment.record()).toBeUndefined();
    expect(comments()).toEqual([]);
  });

  test('no pull request: no request at all, no notice, no record', async () => {
    let lookups = 0;
    const { api, comment } = sticky(async () => {
      lookups++;
      return { none: 'commit aaaaaaa was pushed without a pull request' };
    });
    await comment.update(body('validate passed'), 'validate');
    await comment.final(body('SUCCESS'));
    expect(github.requests).toEqual([]);
    expect(lookups).toBe(1);
    expect(api.notices).toEqual([]);
    expect(comment.record()).toBeUndefined();
  });

  test('calls made without waiting are sent in order, one at a time', async () => {
    const { comment } = sticky();
    await Promise.all([comment.update(body('validate passed'), 'validate'), comment.update(body('build passed'), 'build'), comment.final(body('SUCCESS'))]);
    expect(github.calls('POST /repos/{owner}/{repo}/issues/{issue_number}/comments')).toBe(1);
    expect(comments()).toEqual([{ login: BOT, body: body('SUCCESS') }]);
  });
});
