// Issue routes of the stand-in: issues (create, list with the state and labels filters, get, update) and the
// comments of an issue or pull request (create, list oldest first with `since`, get, edit, delete), authored by the
// token's identity. Bodies over GitHub's 65,536 characters are refused as GitHub does.
import type { Issue, IssueComment } from '../state.js';
import { timestamp } from '../state.js';
import { idParam, json, notFound, page, validationFailed, type Reply, type RouteContext, type Routes } from './reply.js';

const REPO = '/repos/{owner}/{repo}';
const MAX_BODY = 65_536;

function issueJson(context: RouteContext, issue: Issue): Record<string, unknown> {
  const url = `${context.apiUrl}/repos/${context.state.fullName}/issues/${issue.number}`;
  return {
    ...issue,
    labels: issue.labels.map((name, index) => ({ id: index + 1, node_id: `LA_${name}`, name, color: 'ededed', default: false, description: null })),
    node_id: `I_${issue.id}`,
    url,
    comments_url: `${url}/comments`,
    html_url: context.state.htmlUrl(`/issues/${issue.number}`),
    comments: context.state.comments.filter((comment) => comment.issue_number === issue.number).length,
    closed_at: issue.state === 'closed' ? issue.updated_at : null,
    locked: false,
    assignees: [],
    author_association: 'NONE',
  };
}

function commentJson(context: RouteContext, comment: IssueComment): Record<string, unknown> {
  const { issue_number: number, ...fields } = comment;
  const isPull = context.state.pulls.some((pull) => pull.number === number);
  return {
    ...fields,
    node_id: `IC_${comment.id}`,
    url: `${context.apiUrl}/repos/${context.state.fullName}/issues/comments/${comment.id}`,
    html_url: context.state.htmlUrl(`/${isPull ? 'pull' : 'issues'}/${number}#issuecomment-${comment.id}`),
    issue_url: `${context.apiUrl}/repos/${context.state.fullName}/issues/${number}`,
    author_association: 'NONE',
    performed_via_github_app: null,
  };
}

function tooLong(body: unknown, resource: string): Reply | undefined {
  if (typeof body !== 'string' || body.length <= MAX_BODY) return undefined;
  const message = `body is too long (maximum is ${MAX_BODY} characters; got ${body.length})`;
  return validationFailed('Validation Failed', [{ resource, code: 'custom', field: 'body', message }], message);
}

function labelNames(labels: unknown): string[] {
  return ((labels as (string | { name?: string })[] | undefined) ?? []).map((label) => (typeof label === 'string' ? label : (label.name ?? '')));
}

function numberExists(context: RouteContext, number: number): boolean {
  return context.state.issues.some((issue) => issue.number === number) || context.state.pulls.some((pull) => pull.number === number);
}

function findComment(context: RouteContext): IssueComment | undefined {
  return context.state.comments.find((comment) => comment.id === idParam(context, 'comment_id'));
}

export const issueRoutes: Routes = {
  [`POST ${REPO}/issues`]: (context) => {
    const { body } = context;
    const refused = tooLong(body.body, 'Issue');
    if (refused) return refused;
    const issue = context.state.addIssue({ title: String(body.title), body: body.body as string | undefined, labels: labelNames(body.labels) });
    return json(issueJson(context, issue), 201);
  },

  [`GET ${REPO}/issues`]: (context) => {
    const state = context.query.get('state') ?? 'open';
    const labels = (context.query.get('labels') ?? '').split(',').filter(Boolean);
    const issues = context.state.issues
      .filter((issue) => (state === 'all' || issue.state === state) && labels.every((label) => issue.labels.includes(label)))
      .sort((a, b) => (context.query.get('direction') === 'asc' ? a.id - b.id : b.id - a.id));
    return page(context, issues.map((issue) => issueJson(context, issue)));
  },

  [`GET ${REPO}/issues/{issue_number}`]: (context) => {
    const issue = context.state.issues.find((candidate) => candidate.number === idParam(context, 'issue_number'));
    return issue ? json(issueJson(context, issue)) : notFound();
  },

  [`PATCH ${REPO}/issues/{issue_number}`]: (context) => {
    const issue = context.state.issues.find((candidate) => candidate.number === idParam(context, 'issue_number'));
    if (!issue) return notFound();
    const { body } = context;
    const refused = tooLong(body.body, 'Issue');
    if (refused) return refused;
    if (typeof body.title === 'string') issue.title = body.title;
    if (body.body !== undefined) issue.body = body.body as string | null;
    if (body.state === 'open' || body.state === 'closed') issue.state = body.state;
    if (body.labels !== undefined) issue.labels = labelNames(body.labels);
    issue.updated_at = timestamp();
    return json(issueJson(context, issue));
  },

  [`POST ${REPO}/issues/{issue_number}/comments`]: (context) => {
    const number = idParam(context, 'issue_number');
    if (!numberExists(context, number)) return notFound();
    const refused = tooLong(context.body.body, 'IssueComment');
    if (refused) return refused;
    return json(commentJson(context, context.state.addComment(number, String(context.body.body))), 201);
  },

  [`GET ${REPO}/issues/{issue_number}/comments`]: (context) => {
    const number = idParam(context, 'issue_number');
    if (!numberExists(context, number)) return notFound();
    const since = context.query.get('since');
    const comments = context.state.comments.filter((comment) => comment.issue_number === number && (!since || comment.updated_at >= since)).sort((a, b) => a.id - b.id);
    return page(context, comments.map((comment) => commentJson(context, comment)));
  },

  [`GET ${REPO}/issues/comments/{comment_id}`]: (context) => {
    const comment = findComment(context);
    return comment ? json(commentJson(context, comment)) : notFound();
  },

  [`PATCH ${REPO}/issues/comments/{comment_id}`]: (context) => {
    const comment = findComment(context);
    if (!comment) return notFound();
    const refused = tooLong(context.body.body, 'IssueComment');
    if (refused) return refused;
    comment.body = String(context.body.body);
    comment.updated_at = timestamp();
    return json(commentJson(context, comment));
  },

  [`DELETE ${REPO}/issues/comments/{comment_id}`]: (context) => {
    const comment = findComment(context);
    if (!comment) return notFound();
    context.state.comments.splice(context.state.comments.indexOf(comment), 1);
    return { status: 204 };
  },
};
