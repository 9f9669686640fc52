// What a route of the GitHub API stand-in is given and answers, and the answers GitHub gives everywhere: JSON, a
// paginated list with its `link` header, 404 Not Found, 422 Validation Failed.
import type { GitHubState } from '../state.js';

export interface RouteContext {
  state: GitHubState;
  /** Path parameters, decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body (already checked against the operation's schema). */
  body: Record<string, unknown>;
  /** The stand-in's own base URL: API urls in answers point back at it. */
  apiUrl: string;
  /** The request path, for pagination links. */
  path: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** A GitHub rule outside the OpenAPI schema that the request broke (recorded as a violation). */
  violation?: string;
}

export type Route = (context: RouteContext) => Reply;

/** Routes by `METHOD /path/{template}`, as the OpenAPI description names them. */
export type Routes = Record<string, Route>;

const DOCS = 'https://docs.github.com/rest';

export function json(body: unknown, status = 200): Reply {
  return { status, body };
}

export function notFound(): Reply {
  return { status: 404, body: { message: 'Not Found', documentation_url: DOCS, status: '404' } };
}

export function validationFailed(message: string, errors: unknown[] = [], violation?: string): Reply {
  return { status: 422, body: { message, errors, documentation_url: DOCS, status: '422' }, violation };
}

/** One page of `items` (`page`, `per_page` ≤ 100), with GitHub's `link` header naming the next and last pages. */
export function page(context: RouteContext, items: unknown[], defaultPerPage = 30, wrap?: (slice: unknown[]) => unknown): Reply {
  const perPage = Math.min(100, Number(context.query.get('per_page') ?? defaultPerPage));
  const current = Math.max(1, Number(context.query.get('page') ?? 1));
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((current - 1) * perPage, current * perPage);
  const link = (n: number, rel: string) => {
    const query = new URLSearchParams(context.query);
    query.set('page', String(n));
    query.set('per_page', String(perPage));
    return `<${context.apiUrl}${context.path}?${query}>; rel="${rel}"`;
  };
  const links = [...(current < last ? [link(current + 1, 'next'), link(last, 'last')] : []), ...(current > 1 ? [link(1, 'first'), link(current - 1, 'prev')] : [])];
  return { status: 200, body: wrap ? wrap(slice) : slice, headers: links.length ? { link: links.join(', ') } : {} };
}

/** The `number` path parameter (deployment_id, comment_id, …) as a number. */
export function idParam(context: RouteContext, name: string): number {
  return Number(context.params[name]);
}
