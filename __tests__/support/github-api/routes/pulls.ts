// Pull request routes of the stand-in: the pull requests of a commit (by head sha or merge commit sha), one pull
// request, and its reviews (in the order they were created, as GitHub lists them; a pending one has no submitted_at).
import type { PullRequest, Review } from '../state.js';
import { idParam, json, notFound, page, type RouteContext, type Routes } from './reply.js';

const REPO = '/repos/{owner}/{repo}';

function pullJson(context: RouteContext, pull: PullRequest): Record<string, unknown> {
  const url = `${context.apiUrl}/repos/${context.state.fullName}/pulls/${pull.number}`;
  return {
    ...pull,
    id: 500000 + pull.number,
    node_id: `PR_${pull.number}`,
    url,
    issue_url: `${context.apiUrl}/repos/${context.state.fullName}/issues/${pull.number}`,
    head: { ...pull.head, label: `${pull.head.repo.full_name.split('/')[0]}:${pull.head.ref}` },
    base: { ...pull.base, sha: context.state.head() ?? '', label: `${context.state.owner}:${pull.base.ref}` },
    draft: false,
    locked: false,
  };
}

function reviewJson(context: RouteContext, review: Review): Record<string, unknown> {
  const { pull_number: number, submitted_at: submittedAt, ...fields } = review;
  return {
    ...fields,
    ...(submittedAt === null ? {} : { submitted_at: submittedAt }),
    node_id: `PRR_${review.id}`,
    html_url: context.state.htmlUrl(`/pull/${number}#pullrequestreview-${review.id}`),
    pull_request_url: `${context.apiUrl}/repos/${context.state.fullName}/pulls/${number}`,
    _links: { html: { href: context.state.htmlUrl(`/pull/${number}#pullrequestreview-${review.id}`) }, pull_request: { href: `${context.apiUrl}/repos/${context.state.fullName}/pulls/${number}` } },
  };
}

export const pullRoutes: Routes = {
  [`GET ${REPO}/commits/{commit_sha}/pulls`]: (context) => {
    const sha = context.state.resolve(context.params.commit_sha!) ?? context.params.commit_sha!;
    const pulls = context.state.pulls.filter((pull) => pull.head.sha === sha || pull.merge_commit_sha === sha);
    return page(context, pulls.map((pull) => pullJson(context, pull)));
  },

  [`GET ${REPO}/pulls/{pull_number}`]: (context) => {
    const pull = context.state.pulls.find((candidate) => candidate.number === idParam(context, 'pull_number'));
    return pull ? json(pullJson(context, pull)) : notFound();
  },

  [`GET ${REPO}/pulls/{pull_number}/reviews`]: (context) => {
    const number = idParam(context, 'pull_number');
    if (!context.state.pulls.some((pull) => pull.number === number)) return notFound();
    const reviews = context.state.reviews.filter((review) => review.pull_number === number).sort((a, b) => a.id - b.id);
    return page(context, reviews.map((review) => reviewJson(context, review)));
  },
};
