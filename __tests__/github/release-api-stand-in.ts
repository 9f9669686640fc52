// A minimal GitHub REST stand-in on loopback for the release modules' tests: tags and refs (lightweight and annotated),
// compare, commits, releases, issues and their comments, with GitHub's answers for the cases the code handles (422
// "Reference already exists", 422 already_exists). Until the shared OpenAPI-checking server lands
// (__tests__/support/github-api/), this keeps only the few routes these modules call; a route can be made to fail.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startLoopbackServer, type LoopbackServer } from '../engine/loopback-server.js';
import { createGitHubApi, type GitHubApi } from '../../src/github/client.js';
import type { GitHubRunContext } from '../../src/github/run-context.js';

export const OWNER = 'acme';
export const REPO = 'shop';
export const SERVER_URL = 'http://github.test';
export const TOKEN = 'ghs_standInToken0123456789';

export interface StandInCommit {
  sha: string;
  message: string;
}

export interface Captured {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

export interface ReleaseApiStandIn extends LoopbackServer {
  /** Linear history, oldest first. */
  commits: StandInCommit[];
  /** refs/tags/<name> → sha of a commit or of a tag object. */
  refs: Map<string, string>;
  tagObjects: Map<string, { tag: string; object: string; message: string; tagger: unknown }>;
  releases: { id: number; tag_name: string; name: string; body: string; target_commitish: string; html_url: string }[];
  issues: { number: number; title: string; body: string; labels: string[]; state: 'open' | 'closed'; pull_request?: object; comments: string[] }[];
  requests: Captured[];
  /** Answer this status (with GitHub's message) for requests matching the predicate. */
  fail(predicate: (request: Captured) => boolean, status: number): void;
  api(): GitHubApi;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export function sha(n: number): string {
  return n.toString(16).padStart(40, '0');
}

export async function startReleaseApi(): Promise<ReleaseApiStandIn> {
  let nextId = 1000;
  const failures: { predicate: (request: Captured) => boolean; status: number }[] = [];
  const state = {
    commits: [] as StandInCommit[],
    refs: new Map<string, string>(),
    tagObjects: new Map<string, { tag: string; object: string; message: string; tagger: unknown }>(),
    releases: [] as ReleaseApiStandIn['releases'],
    issues: [] as ReleaseApiStandIn['issues'],
    requests: [] as Captured[],
  };
  const peel = (target: string): string => {
    let current = target;
    while (state.tagObjects.has(current)) current = state.tagObjects.get(current)!.object;
    return current;
  };
  const commitJson = (commit: StandInCommit) => ({ sha: commit.sha, commit: { message: commit.message } });
  const repoUrl = `${SERVER_URL}/${OWNER}/${REPO}`;

  const server = await startLoopbackServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://stand-in');
      const captured: Captured = { method: request.method ?? 'GET', path: decodeURIComponent(url.pathname), query: url.searchParams, body: await readBody(request) };
      state.requests.push(captured);
      if (request.headers.authorization !== `token ${TOKEN}`) return send(response, 401, { message: 'Bad credentials' });
      const failure = failures.find((entry) => entry.predicate(captured));
      if (failure) return send(response, failure.status, { message: failure.status === 403 ? 'Resource not accessible by integration' : 'Server Error' });
      const prefix = `/repos/${OWNER}/${REPO}`;
      if (!captured.path.startsWith(prefix)) return send(response, 404, { message: 'Not Found' });
      const route = `${captured.method} ${captured.path.slice(prefix.length)}`;
      const body = captured.body as Record<string, unknown>;
      let match: RegExpExecArray | null;

      if (route === 'GET /tags') {
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        const page = Number(url.searchParams.get('page') ?? 1);
        const all = [...state.refs.entries()].map(([name, target]) => ({ name, commit: { sha: peel(target), url: '' }, zipball_url: '', tarball_url: '', node_id: '' }));
        const link = page * perPage < all.length ? { link: `<${`http://${request.headers.host}${prefix}/tags?per_page=${perPage}&page=${page + 1}`}>; rel="next"` } : undefined;
        return send(response, 200, all.slice((page - 1) * perPage, page * perPage), link);
      }
      if ((match = /^GET \/compare\/(.+)\.\.\.(.+)$/.exec(route))) {
        const base = peel(state.refs.get(match[1]!) ?? match[1]!);
        const from = state.commits.findIndex((commit) => commit.sha === base);
        const to = state.commits.findIndex((commit) => commit.sha === match![2]);
        if (from < 0 || to < 0) return send(response, 404, { message: 'Not Found' });
        const between = state.commits.slice(from + 1, to + 1);
        return send(response, 200, { status: 'ahead', total_commits: between.length, commits: between.slice(-250).map(commitJson) });
      }
      if (route === 'GET /commits') {
        const to = state.commits.findIndex((commit) => commit.sha === url.searchParams.get('sha'));
        const perPage = Number(url.searchParams.get('per_page') ?? 30);
        return send(response, 200, state.commits.slice(0, to + 1).reverse().slice(0, perPage).map(commitJson));
      }
      if (route === 'POST /git/tags') {
        const tagSha = sha(++nextId + 0xabc000);
        state.tagObjects.set(tagSha, { tag: body['tag'] as string, object: body['object'] as string, message: body['message'] as string, tagger: body['tagger'] });
        return send(response, 201, { sha: tagSha, tag: body['tag'], object: { type: 'commit', sha: body['object'] } });
      }
      if (route === 'POST /git/refs') {
        const name = (body['ref'] as string).replace(/^refs\/tags\//, '');
        if (state.refs.has(name)) return send(response, 422, { message: 'Reference already exists', status: '422' });
        state.refs.set(name, body['sha'] as string);
        return send(response, 201, { ref: body['ref'], object: { type: 'tag', sha: body['sha'] } });
      }
      if ((match = /^GET \/git\/ref\/tags\/(.+)$/.exec(route))) {
        const target = state.refs.get(match[1]!);
        if (!target) return send(response, 404, { message: 'Not Found' });
        return send(response, 200, { ref: `refs/tags/${match[1]}`, node_id: '', url: '', object: { type: state.tagObjects.has(target) ? 'tag' : 'commit', sha: target, url: '' } });
      }
      if ((match = /^GET \/git\/tags\/(\w+)$/.exec(route))) {
        const tag = state.tagObjects.get(match[1]!);
        if (!tag) return send(response, 404, { message: 'Not Found' });
        return send(response, 200, { sha: match[1], tag: tag.tag, message: tag.message, object: { type: state.tagObjects.has(tag.object) ? 'tag' : 'commit', sha: tag.object, url: '' } });
      }
      if (route === 'POST /releases') {
        if (state.releases.some((release) => release.tag_name === body['tag_name'])) {
          return send(response, 422, { message: 'Validation Failed', errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }] });
        }
        const release = { id: ++nextId, tag_name: body['tag_name'] as string, name: body['name'] as string, body: body['body'] as string, target_commitish: body['target_commitish'] as string, html_url: `${repoUrl}/releases/tag/${body['tag_name']}` };
        state.releases.push(release);
        return send(response, 201, release);
      }
      if ((match = /^GET \/releases\/tags\/(.+)$/.exec(route))) {
        const release = state.releases.find((entry) => entry.tag_name === match![1]);
        return release ? send(response, 200, release) : send(response, 404, { message: 'Not Found' });
      }
      if (route === 'GET /issues') {
        const label = url.searchParams.get('labels');
        const wanted = url.searchParams.get('state') ?? 'open';
        const listed = state.issues.filter((issue) => issue.state === wanted && (!label || issue.labels.includes(label)));
        return send(response, 200, listed.map((issue) => ({ ...issue, labels: issue.labels.map((name) => ({ name })), html_url: `${repoUrl}/issues/${issue.number}` })));
      }
      if (route === 'POST /issues') {
        const issue = { number: state.issues.length + 1, title: body['title'] as string, body: body['body'] as string, labels: body['labels'] as string[], state: 'open' as const, comments: [] };
        state.issues.push(issue);
        return send(response, 201, { ...issue, html_url: `${repoUrl}/issues/${issue.number}` });
      }
      if ((match = /^POST \/issues\/(\d+)\/comments$/.exec(route))) {
        const issue = state.issues.find((entry) => entry.number === Number(match![1]));
        if (!issue) return send(response, 404, { message: 'Not Found' });
        issue.comments.push(body['body'] as string);
        const id = ++nextId;
        return send(response, 201, { id, body: body['body'], html_url: `${repoUrl}/issues/${issue.number}#issuecomment-${id}` });
      }
      return send(response, 404, { message: `stand-in has no route ${route}` });
    })();
  });

  return Object.assign(state, {
    url: server.url,
    [Symbol.asyncDispose]: server[Symbol.asyncDispose],
    fail(predicate: (request: Captured) => boolean, status: number) {
      failures.push({ predicate, status });
    },
    api: () => createGitHubApi({ token: TOKEN, baseUrl: server.url, retryBaseMs: 1, requestTimeoutMs: 5000 }),
  });
}

export function runContext(overrides: Partial<GitHubRunContext> = {}): GitHubRunContext {
  return {
    owner: OWNER,
    repo: REPO,
    serverUrl: SERVER_URL,
    runUrl: `${SERVER_URL}/${OWNER}/${REPO}/actions/runs/42`,
    runId: 42,
    eventName: 'push',
    sha: sha(3),
    ref: 'refs/heads/main',
    ...overrides,
  };
}
