// The sticky comment against a small stand-in of GitHub's issue-comment API on loopback (GET /user, the comments of
// a pull request with Link-header pagination, create, edit, delete), which keeps its comments and logs every request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, test } from 'vitest';
import { createGitHubApi } from '../../src/github/client.js';
import type { PullRequestLookup } from '../../src/github/pull-request.js';
import type { GitHubRunContext } from '../../src/github/run-context.js';
import { commentMarker, createStickyComment } from '../../src/github/sticky-comment.js';
import { startLoopbackServer } from '../engine/loopback-server.js';

const OWNER = 'acme';
const REPO = 'shop';
const PR = 12;
const MARKER = commentMarker('web');

interface StoredComment {
  id: number;
  login: string;
  body: string;
}

interface StandInOptions {
  /** GET /user answers this login; without one it answers 403, as it does to GITHUB_TOKEN. */
  login?: string;
  /** Creating, editing and deleting comments answers 403, as a fork PR's read-only token gets. */
  readOnly?: boolean;
  comments?: StoredComment[];
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<{ body?: string }> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text === '' ? {} : (JSON.parse(text) as { body?: string });
}

async function startGitHub(options: StandInOptions = {}) {
  const comments: StoredComment[] = [...(options.comments ?? [])];
  const requests: string[] = [];
  let nextId = Math.max(1000, ...comments.map((c) => c.id + 1));
  let url = '';
  const shape = (c: StoredComment) => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${url}/repos/${OWNER}/${REPO}/issues/comments/${c.id}`,
    html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR}#issuecomment-${c.id}`,
    body: c.body,
    user: { login: c.login, id: c.login.length, type: c.login.endsWith('[bot]') ? 'Bot' : 'User' },
    created_at: '2026-11-30T12:00:00Z',
    updated_at: '2026-11-30T12:00:00Z',
    author_association: 'NONE',
  });
  const forbidden = { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' };
  const commentsPath = `/repos/${OWNER}/${REPO}/issues/${PR}/comments`;
  const onePath = new RegExp(`^/repos/${OWNER}/${REPO}/issues/comments/(\\d+)$`);

  const server = await startLoopbackServer(async (request, response) => {
    const address = new URL(request.url!, url);
    const method = request.method!;
    requests.push(`${method} ${address.pathname}${address.search}`);
    const payload = await readBody(request);
    if (method === 'GET' && address.pathname === '/user') {
      return options.login ? json(response, 200, { login: options.login, id: 1, type: 'User' }) : json(response, 403, forbidden);
    }
    if (method === 'GET' && address.pathname === commentsPath) {
      const perPage = Number(address.searchParams.get('per_page') ?? 30);
      const page = Number(address.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(comments.length / perPage));
      const link = page < last ? { link: `<${url}${commentsPath}?per_page=${perPage}&page=${page + 1}>; rel="next"` } : undefined;
      return json(response, 200, comments.slice((page - 1) * perPage, page * perPage).map(shape), link);
    }
    if (options.readOnly) return json(response, 403, forbidden);
    if (method === 'POST' && address.pathname === commentsPath) {
      const created = { id: nextId++, login: options.login ?? 'github-actions[bot]', body: payload.body! };
      comments.push(created);
      return json(response, 201, shape(created));
    }
    const id = Number(onePath.exec(address.pathname)?.[1]);
    const index = comments.findIndex((c) => c.id === id);
    if (index < 0) return json(response, 404, { message: 'Not Found', status: '404' });
    if (method === 'PATCH') {
      comments[index]!.body = payload.body!;
      return json(response, 200, shape(comments[index]!));
    }
    if (method === 'DELETE') {
      comments.splice(index, 1);
      response.writeHead(204).end();
      return;
    }
    json(response, 404, { message: 'Not Found', status: '404' });
  });
  url = server.url;
  return { server, url, comments, requests };
}

const CONTEXT: GitHubRunContext = {
  owner: OWNER,
  repo: REPO,
  serverUrl: 'https://github.com',
  runUrl: `https://github.com/${OWNER}/${REPO}/actions/runs/4242`,
  runId: 4242,
  eventName: 'pull_request',
  sha: 'a'.repeat(40),
  ref: `refs/pull/${PR}/merge`,
};

const WITH_PR = async (): Promise<PullRequestLookup> => ({ found: { number: PR, url: `https://github.com/${OWNER}/${REPO}/pull/${PR}`, headSha: 'a'.repeat(40), fork: false } });

function sticky(baseUrl: string, findPullRequest = WITH_PR) {
  const api = createGitHubApi({ token: 'ghs_test-token', baseUrl, retryBaseMs: 1 });
  return { api, comment: createStickyComment(api, CONTEXT, findPullRequest, 'web') };
}

const body = (text: string) => `${MARKER}\n\n${text}\n`;

describe('the sticky PR comment', () => {
  test('is created once, then only edited: at most one edit per stage, the final edit always', async () => {
    const github = await startGitHub();
    await using _ = github.server;
    const { api, comment } = sticky(github.url);
    await comment.update(body('validate passed'), 'validate');
    await comment.update(body('validate passed, again'), 'validate');
    await comment.update(body('build passed'), 'build');
    await comment.final(body('SUCCESS'));
    await comment.update(body('too late'), 'staging');
    expect(github.requests).toEqual([
      'GET /user',
      `GET /repos/${OWNER}/${REPO}/issues/${PR}/comments?per_page=100`,
      `POST /repos/${OWNER}/${REPO}/issues/${PR}/comments`,
      'PATCH /repos/acme/shop/issues/comments/1000',
      'PATCH /repos/acme/shop/issues/comments/1000',
    ]);
    expect(github.comments).toEqual([{ id: 1000, login: 'github-actions[bot]', body: body('SUCCESS') }]);
    expect(comment.record()).toEqual({ url: `https://github.com/${OWNER}/${REPO}/pull/${PR}#issuecomment-1000`, pullRequest: PR, edits: 2 });
    expect(api.notices).toEqual([]);
  });

  test('a body that did not change is not sent again', async () => {
    const github = await startGitHub();
    await using _ = github.server;
    const { comment } = sticky(github.url);
    await comment.update(body('validate passed'), 'validate');
    await comment.final(body('validate passed'));
    expect(github.requests.filter((r) => r.startsWith('PATCH'))).toEqual([]);
    expect(comment.record()?.edits).toBe(0);
  });

  test('a rerun finds its comment among many (paginated) and edits it: no new comment', async () => {
    const others = Array.from({ length: 150 }, (_, i) => ({ id: i + 1, login: 'alice', body: `comment ${i}` }));
    const github = await startGitHub({ comments: [...others, { id: 500, login: 'github-actions[bot]', body: body('last run') }] });
    await using _ = github.server;
    const { comment } = sticky(github.url);
    await comment.update(body('validate passed'), 'validate');
    expect(github.requests.filter((r) => r.startsWith('GET /repos'))).toHaveLength(2);
    expect(github.requests.at(-1)).toBe('PATCH /repos/acme/shop/issues/comments/500');
    expect(github.requests.some((r) => r.startsWith('POST'))).toBe(false);
    expect(github.comments).toHaveLength(151);
    expect(github.comments.at(-1)!.body).toBe(body('validate passed'));
    expect(comment.record()).toMatchObject({ pullRequest: PR, edits: 1 });
  });

  test('a comment with the marker by anyone else is never edited', async () => {
    const github = await startGitHub({ comments: [{ id: 7, login: 'mallory', body: `quoting: ${MARKER}` }] });
    await using _ = github.server;
    const { comment } = sticky(github.url);
    await comment.update(body('validate passed'), 'validate');
    expect(github.comments).toEqual([
      { id: 7, login: 'mallory', body: `quoting: ${MARKER}` },
      { id: 1000, login: 'github-actions[bot]', body: body('validate passed') },
    ]);
  });

  test('with a personal token, the login is the token’s own: github-actions[bot]’s comment is someone else’s', async () => {
    const github = await startGitHub({ login: 'deploy-bot', comments: [{ id: 7, login: 'github-actions[bot]', body: body('old') }, { id: 8, login: 'deploy-bot', body: body('ours') }] });
    await using _ = github.server;
    const { comment } = sticky(github.url);
    await comment.update(body('validate passed'), 'validate');
    expect(github.comments).toEqual([
      { id: 7, login: 'github-actions[bot]', body: body('old') },
      { id: 8, login: 'deploy-bot', body: body('validate passed') },
    ]);
  });

  test('another target’s comment is not this one', async () => {
    const github = await startGitHub({ comments: [{ id: 7, login: 'github-actions[bot]', body: `${commentMarker('api')}\n\napi` }] });
    await using _ = github.server;
    const { comment } = sticky(github.url);
    await comment.update(body('validate passed'), 'validate');
    expect(github.comments.map((c) => c.id)).toEqual([7, 1000]);
  });

  test('copies left by a race are reduced to the oldest, which is edited', async () => {
    const github = await startGitHub({
      comments: [
        { id: 30, login: 'github-actions[bot]', body: body('run B') },
        { id: 20, login: 'github-actions[bot]', body: body('run A') },
        { id: 25, login: 'alice', body: 'lgtm' },
      ],
    });
    await using _ = github.server;
    const { comment, api } = sticky(github.url);
    await comment.update(body('validate passed'), 'validate');
    expect(github.requests).toContain('DELETE /repos/acme/shop/issues/comments/30');
    expect(github.comments).toEqual([
      { id: 20, login: 'github-actions[bot]', body: body('validate passed') },
      { id: 25, login: 'alice', body: 'lgtm' },
    ]);
    expect(api.notices).toEqual([]);
  });

  test('a comment deleted during the run is written again', async () => {
    const github = await startGitHub();
    await using _ = github.server;
    const { comment } = sticky(github.url);
    await comment.update(body('validate passed'), 'validate');
    github.comments.length = 0;
    await comment.update(body('build passed'), 'build');
    expect(github.comments).toEqual([{ id: 1001, login: 'github-actions[bot]', body: body('build passed') }]);
    expect(comment.record()?.url).toMatch(/#issuecomment-1001$/);
  });

  test('a read-only token (a fork PR) is one notice naming the permission, and nothing more is sent', async () => {
    const github = await startGitHub({ readOnly: true });
    await using _ = github.server;
    const { api, comment } = sticky(github.url);
    await comment.update(body('validate passed'), 'validate');
    const sent = github.requests.length;
    await comment.update(body('build passed'), 'build');
    await comment.final(body('SUCCESS'));
    expect(github.requests).toHaveLength(sent);
    expect(github.requests.at(-1)).toBe(`POST /repos/${OWNER}/${REPO}/issues/${PR}/comments`);
    expect(api.notices).toHaveLength(1);
    expect(api.notices[0]).toMatch(/^GitHub PR comment: skipped: .*HTTP 403.*give the job "pull-requests: write" under permissions:/);
    expect(comment.record()).toBeUndefined();
  });

  test('no pull request: no request at all, no notice, no record', async () => {
    const github = await startGitHub();
    await using _ = github.server;
    let lookups = 0;
    const { api, comment } = sticky(github.url, async () => {
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
    const github = await startGitHub();
    await using _ = github.server;
    const { comment } = sticky(github.url);
    await Promise.all([comment.update(body('validate passed'), 'validate'), comment.update(body('build passed'), 'build'), comment.final(body('SUCCESS'))]);
    expect(github.requests.filter((r) => r.startsWith('POST'))).toHaveLength(1);
    expect(github.comments).toEqual([{ id: 1000, login: 'github-actions[bot]', body: body('SUCCESS') }]);
  });
});
