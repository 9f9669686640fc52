// A small stateful stand-in for the few GitHub REST routes the deployments, previous-version and approvals modules
// call, on 127.0.0.1: deployments and their statuses (newest first, as GitHub lists them), a pull request's reviews
// (paginated with a Link header) and a commit's pull requests. Request bodies are checked against GitHub's OpenAPI
// description (unknown fields, missing required ones: 422). Every request is recorded; a route can be made to fail.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { startLoopbackServer, type LoopbackServer } from '../engine/loopback-server.js';

export interface StoredStatus {
  id: number;
  state: string;
  description: string;
  log_url: string;
  environment_url: string;
  created_at: string;
}
export interface StoredDeployment {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  description: string | null;
  payload: unknown;
  creator: string;
  created_at: string;
  transient_environment: boolean;
  production_environment: boolean;
  /** Oldest first. */
  statuses: StoredStatus[];
}
export interface StoredReview {
  id: number;
  user: string | null;
  state: string;
  submitted_at?: string;
}
export interface StoredPull {
  number: number;
  merge_commit_sha: string | null;
  head: string;
}
export interface RecordedRequest {
  method: string;
  path: string;
  body?: Record<string, unknown>;
}

export interface GitHubStandIn extends LoopbackServer {
  deployments: StoredDeployment[];
  reviews: Map<number, StoredReview[]>;
  commitPulls: Map<string, StoredPull[]>;
  requests: RecordedRequest[];
  /** The next `times` requests matching method and path answer `status`. */
  failNext(method: string, path: RegExp, status: number, times?: number): void;
  /** Adds another run's (or the job's) deployment, as if made earlier. */
  seedDeployment(fields: Partial<StoredDeployment> & { environment: string }, statuses?: Partial<StoredStatus>[]): StoredDeployment;
  addStatus(deployment: StoredDeployment, state: string, logUrl?: string): void;
}

const OWNER = 'octo';
const REPO = 'shop';
type Schema = { properties?: Record<string, unknown>; required?: string[] };
// Loaded untyped: typing GitHub's 13 MB description would slow every type check.
const openapi = createRequire(import.meta.url)('@octokit/openapi/generated/api.github.com.json') as { paths: unknown };
const paths = openapi.paths as unknown as Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: Schema } } } }>>;

/** Problems of a request body against the operation's JSON schema (top-level fields). */
function bodyProblems(template: string, method: string, body: Record<string, unknown>): string[] {
  const schema = paths[template]?.[method.toLowerCase()]?.requestBody?.content['application/json'].schema;
  if (!schema) return [`no request body schema for ${method} ${template}`];
  const known = Object.keys(schema.properties ?? {});
  return [
    ...Object.keys(body).filter((key) => !known.includes(key)).map((key) => `unknown field ${key}`),
    ...(schema.required ?? []).filter((key) => body[key] === undefined).map((key) => `missing ${key}`),
  ];
}

function user(login: string) {
  return { login, id: login.length, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
}

export async function startGitHubStandIn(): Promise<GitHubStandIn> {
  let nextId = 1000;
  const failures: { method: string; path: RegExp; status: number; times: number }[] = [];
  let url = '';
  const base = () => `${url}/repos/${OWNER}/${REPO}`;

  const deploymentJson = (deployment: StoredDeployment) => ({
    url: `${base()}/deployments/${deployment.id}`,
    id: deployment.id,
    node_id: `D_${deployment.id}`,
    sha: deployment.sha,
    ref: deployment.ref,
    task: 'deploy',
    payload: deployment.payload,
    original_environment: deployment.environment,
    environment: deployment.environment,
    description: deployment.description,
    creator: user(deployment.creator),
    created_at: deployment.created_at,
    updated_at: deployment.created_at,
    statuses_url: `${base()}/deployments/${deployment.id}/statuses`,
    repository_url: base(),
    transient_environment: deployment.transient_environment,
    production_environment: deployment.production_environment,
  });
  const statusJson = (deployment: StoredDeployment, status: StoredStatus) => ({
    url: `${base()}/deployments/${deployment.id}/statuses/${status.id}`,
    id: status.id,
    node_id: `DS_${status.id}`,
    state: status.state,
    creator: user('github-actions[bot]'),
    description: status.description,
    environment: deployment.environment,
    target_url: status.log_url,
    log_url: status.log_url,
    environment_url: status.environment_url,
    created_at: status.created_at,
    updated_at: status.created_at,
    deployment_url: `${base()}/deployments/${deployment.id}`,
    repository_url: base(),
  });

  const standIn = {
    deployments: [] as StoredDeployment[],
    reviews: new Map<number, StoredReview[]>(),
    commitPulls: new Map<string, StoredPull[]>(),
    requests: [] as RecordedRequest[],
    failNext(method: string, path: RegExp, status: number, times = 1) {
      failures.push({ method, path, status, times });
    },
    addStatus(deployment: StoredDeployment, state: string, logUrl = '') {
      deployment.statuses.push({ id: nextId++, state, description: '', log_url: logUrl, environment_url: '', created_at: new Date().toISOString() });
    },
    seedDeployment(fields: Partial<StoredDeployment> & { environment: string }, statuses: Partial<StoredStatus>[] = []) {
      const deployment: StoredDeployment = {
        id: nextId++,
        sha: 'f'.repeat(40),
        ref: 'main',
        description: null,
        payload: {},
        creator: 'github-actions[bot]',
        created_at: new Date().toISOString(),
        transient_environment: false,
        production_environment: fields.environment === 'production',
        statuses: [],
        ...fields,
      };
      for (const status of statuses) standIn.addStatus(deployment, status.state ?? 'success', status.log_url);
      standIn.deployments.push(deployment);
      return deployment;
    },
  };

  function answer(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  }

  function route(method: string, requestUrl: URL, body: Record<string, unknown>, response: ServerResponse): void {
    const path = requestUrl.pathname.replace(`/repos/${OWNER}/${REPO}`, '');
    const query = requestUrl.searchParams;
    const perPage = Number(query.get('per_page') ?? 30);
    const page = Number(query.get('page') ?? 1);
    let match: RegExpMatchArray | null;
    if (path === '/deployments' && method === 'GET') {
      const environment = query.get('environment');
      const listed = standIn.deployments.filter((deployment) => !environment || deployment.environment === environment).toReversed();
      return answer(response, 200, listed.slice(0, perPage).map(deploymentJson));
    }
    if (path === '/deployments' && method === 'POST') {
      const problems = bodyProblems('/repos/{owner}/{repo}/deployments', method, body);
      if (problems.length) return answer(response, 422, { message: 'Validation Failed', errors: problems });
      const deployment = standIn.seedDeployment({
        environment: String(body['environment'] ?? 'production'),
        sha: String(body['ref']),
        ref: String(body['ref']),
        description: (body['description'] as string | undefined) ?? null,
        payload: body['payload'] ?? {},
        creator: 'github-actions[bot]',
        transient_environment: body['transient_environment'] === true,
        production_environment: body['production_environment'] === true,
      });
      return answer(response, 201, deploymentJson(deployment));
    }
    if ((match = /^\/deployments\/(\d+)\/statuses$/.exec(path))) {
      const deployment = standIn.deployments.find((candidate) => candidate.id === Number(match![1]));
      if (!deployment) return answer(response, 404, { message: 'Not Found' });
      if (method === 'GET') return answer(response, 200, deployment.statuses.toReversed().slice(0, perPage).map((status) => statusJson(deployment, status)));
      const problems = bodyProblems('/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', method, body);
      if (typeof body['description'] === 'string' && [...body['description']].length > 140) problems.push('description is too long (maximum is 140 characters)');
      if (problems.length) return answer(response, 422, { message: 'Validation Failed', errors: problems });
      const logUrl = String(body['log_url'] ?? '');
      deployment.statuses.push({ id: nextId++, state: String(body['state']), description: String(body['description'] ?? ''), log_url: logUrl, environment_url: String(body['environment_url'] ?? ''), created_at: new Date().toISOString() });
      return answer(response, 201, statusJson(deployment, deployment.statuses.at(-1)!));
    }
    if ((match = /^\/pulls\/(\d+)\/reviews$/.exec(path)) && method === 'GET') {
      const all = standIn.reviews.get(Number(match[1])) ?? [];
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const next: Record<string, string> = page * perPage < all.length ? { link: `<${url}${requestUrl.pathname}?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
      const reviews = slice.map((review) => ({
        id: review.id,
        node_id: `R_${review.id}`,
        user: review.user === null ? null : user(review.user),
        body: '',
        state: review.state,
        html_url: `https://github.com/${OWNER}/${REPO}/pull/${match![1]}#pullrequestreview-${review.id}`,
        pull_request_url: `${base()}/pulls/${match![1]}`,
        _links: { html: { href: '' }, pull_request: { href: '' } },
        ...(review.submitted_at ? { submitted_at: review.submitted_at } : {}),
        commit_id: 'f'.repeat(40),
        author_association: 'MEMBER',
      }));
      return answer(response, 200, reviews, next);
    }
    if ((match = /^\/commits\/([0-9a-f]+)\/pulls$/.exec(path)) && method === 'GET') {
      const pulls = (standIn.commitPulls.get(match[1]!) ?? []).map((pull) => ({
        number: pull.number,
        html_url: `https://github.com/${OWNER}/${REPO}/pull/${pull.number}`,
        merge_commit_sha: pull.merge_commit_sha,
        head: { sha: pull.head, repo: { full_name: `${OWNER}/${REPO}` } },
        base: { repo: { full_name: `${OWNER}/${REPO}` } },
      }));
      return answer(response, 200, pulls);
    }
    answer(response, 404, { message: 'Not Found' });
  }

  const server = await startLoopbackServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const method = request.method ?? 'GET';
      const requestUrl = new URL(request.url ?? '/', url);
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      standIn.requests.push({ method, path: requestUrl.pathname + requestUrl.search, ...(text ? { body } : {}) });
      const failure = failures.find((candidate) => candidate.times > 0 && candidate.method === method && candidate.path.test(requestUrl.pathname));
      if (failure) {
        failure.times--;
        return answer(response, failure.status, { message: failure.status === 403 ? 'Resource not accessible by integration' : 'scripted failure' });
      }
      route(method, requestUrl, body, response);
    });
  });
  url = server.url;
  return Object.assign(server, standIn);
}

export const STAND_IN_REPO = { owner: OWNER, repo: REPO };
