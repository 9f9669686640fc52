// A GitHub REST API stand-in on 127.0.0.1 for tests: the product (the bundled action, through GITHUB_API_URL, or the
// GitHub client directly) talks to it as to api.github.com.
//
//   const github = await startGitHubApi({ token: 'ghs_test', owner: 'acme', repo: 'shop' });
//   github.state.addCommits(['feat: one', 'fix: two']); github.state.addTag('v1.0.0', sha, 'annotated message');
//   github.state.addPull({ number: 7, headSha, mergeCommitSha }); github.state.addReview(7, { login, state: 'APPROVED' });
//   … run the product with GITHUB_API_URL=github.url …
//   expect(github.violations).toEqual([]);            // every request was one GitHub accepts
//   github.calls('POST /repos/{owner}/{repo}/deployments'); github.sent().includes(secret);
//   await github.stop();
//
// - Every request is checked against GitHub's OpenAPI description (openapi-validator.ts): an unknown route, an unknown
//   or mistyped parameter or body field, a missing required one, GitHub rules outside the schema (a status description
//   over 140 characters, a comment over 65,536), a route the stand-in does not implement, a wrong or missing
//   `authorization: token|Bearer <token>`: each is a `violations` entry (method, path, message) and answered as GitHub
//   would (422, 404, 401).
// - `state` (state.ts) is the repository: seed it before, inspect it after.
// - `requests` keeps every request in order (method, path, route, query, headers, raw body) with its status and
//   response body; `calls(route)` counts them per route; `sent()` is every byte a test may search for planted
//   secrets (all requests and responses, headers included but the authorization header).
// - `faults` (faults.ts): rules answering 500, rate limits or 403 for matching requests, delays, and `down()`/`up()`.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { checkRequest } from './openapi-validator.js';
import { Faults, type DownMode } from './faults.js';
import { GitHubState, type StateOptions } from './state.js';
import type { Reply, Routes } from './routes/reply.js';
import { gitRoutes } from './routes/git.js';
import { deploymentRoutes } from './routes/deployments.js';
import { pullRoutes } from './routes/pulls.js';
import { issueRoutes } from './routes/issues.js';
import { releaseRoutes } from './routes/releases.js';
import { userRoutes } from './routes/users.js';
import { actionsRoutes } from './routes/actions.js';

export interface GitHubApiOptions extends StateOptions {
  /** The token the product must send (default ghs_test-token). */
  token?: string;
}

export interface CapturedRequest {
  method: string;
  /** The raw path, without the query. */
  path: string;
  /** `POST /repos/{owner}/{repo}/deployments`, when the route is in GitHub's description. */
  route?: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  status: number;
  responseBody: string;
}

export interface Violation {
  method: string;
  path: string;
  message: string;
}

export interface GitHubApi {
  url: string;
  token: string;
  state: GitHubState;
  requests: CapturedRequest[];
  violations: Violation[];
  faults: Faults;
  /** Requests made to one route (`GET /repos/{owner}/{repo}/tags`), faulted ones included. */
  calls(route: string): number;
  /** Every request and response captured, as text, the authorization header left out (it must hold the token). */
  sent(): string;
  stop(): Promise<void>;
}

const routes: Routes = { ...gitRoutes, ...deploymentRoutes, ...pullRoutes, ...issueRoutes, ...releaseRoutes, ...userRoutes, ...actionsRoutes };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function authorizationError(headers: IncomingHttpHeaders, token: string): string | undefined {
  const header = headers.authorization;
  if (!header) return 'Requires authentication';
  const [, given] = /^(?:token|bearer)\s+(.+)$/i.exec(header) ?? [];
  return given === token ? undefined : 'Bad credentials';
}

export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubApi> {
  const token = options.token ?? 'ghs_test-token';
  const state = new GitHubState(options);
  const requests: CapturedRequest[] = [];
  const violations: Violation[] = [];
  let downMode: DownMode | undefined;
  let port = 0;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      violations.push({ method: request.method ?? '', path: request.url ?? '', message: `stand-in error: ${String(error)}` });
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  server.on('connection', (socket: Socket) => {
    if (downMode === 'reset') socket.resetAndDestroy();
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const violate = (message: string) => violations.push({ method, path: url.pathname, message });

    let body: unknown;
    let reply: Reply | undefined;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        violate('body is not JSON');
        reply = { status: 400, body: { message: 'Problems parsing JSON' } };
      }
    }
    const checked = checkRequest(method, url.pathname, url.searchParams, body);
    const route = checked.operation?.route;
    const captured: CapturedRequest = { method, path: url.pathname, route, query: url.searchParams, headers: request.headers, body: raw, status: 0, responseBody: '' };
    requests.push(captured);

    const fault = faults.take({ method, path: url.pathname, route });
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    const authError = authorizationError(request.headers, token);
    if (authError) violate(`authorization: ${authError}`);
    for (const error of checked.errors) violate(error);

    const params = checked.operation?.params ?? {};
    const handler = route ? routes[route] : undefined;
    if (route && !handler) violate(`${route} is not implemented by the GitHub API stand-in`);
    reply ??= fault.reply;
    if (!reply && authError) reply = { status: 401, body: { message: authError, documentation_url: 'https://docs.github.com/rest', status: '401' } };
    if (!reply && checked.errors.length > 0) {
      reply = route ? { status: 422, body: { message: 'Invalid request.\n\n' + checked.errors.join('\n'), documentation_url: 'https://docs.github.com/rest', status: '422' } } : { status: 404, body: { message: 'Not Found', status: '404' } };
    }
    if (!reply && (!handler || (params.owner !== undefined && (params.owner !== state.owner || params.repo !== state.repo)))) {
      reply = { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } };
    }
    reply ??= handler!({ state, params, query: url.searchParams, body: (body ?? {}) as Record<string, unknown>, apiUrl: `http://127.0.0.1:${port}`, path: url.pathname });
    if (reply.violation) violate(reply.violation);

    const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
    captured.status = reply.status;
    captured.responseBody = text;
    response.writeHead(reply.status, {
      ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
      'x-github-media-type': 'github.v3; format=json',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      ...reply.headers,
    });
    response.end(text);
  }

  const listen = async () => {
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  };
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  const comeUp = async () => {
    if (downMode === 'refuse') await listen();
    downMode = undefined;
  };
  const goDown = async (mode: DownMode) => {
    await comeUp();
    downMode = mode;
    // Open keep-alive connections go too: the next request must find the API down.
    if (mode === 'refuse') await close();
    else server.closeAllConnections();
  };
  const faults = new Faults({ down: goDown, up: comeUp });

  await listen();
  const api: GitHubApi = {
    url: `http://127.0.0.1:${port}`,
    token,
    state,
    requests,
    violations,
    faults,
    calls: (route) => requests.filter((captured) => captured.route === route).length,
    sent: () =>
      requests
        .map((captured) => {
          const headers = Object.entries(captured.headers).filter(([name]) => name !== 'authorization').map(([name, value]) => `${name}: ${String(value)}`);
          return [`${captured.method} ${captured.path}?${captured.query}`, ...headers, captured.body.toString('utf8'), captured.responseBody].join('\n');
        })
        .join('\n'),
    async stop() {
      if (downMode !== 'refuse') await close();
      downMode = 'refuse';
    },
  };
  return api;
}
