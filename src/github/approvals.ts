// The review gate's approvals (`validate.review.approvals`): on the pull request that brought the commit, each
// reviewer's standing is their latest review that says something: APPROVED counts, CHANGES_REQUESTED blocks whatever
// the count, DISMISSED withdraws; COMMENTED and PENDING change nothing. A gate passes only on evidence: a pull
// request that cannot be found fails it (unless `no-pull-request: pass` and there is certainly none), and so does
// an API error. Only reviews of people who may write to the repository count (OWNER, MEMBER, COLLABORATOR, as branch
// protection counts them): on a public repository anyone can submit an approving review.
import type { ApprovalRecord } from '../engine/model.js';
import type { GitHubApi } from './client.js';
import type { PullRequestLookup } from './pull-request.js';
import type { GitHubRunContext } from './run-context.js';

interface Review {
  id: number;
  state: string;
  user: { login: string } | null;
  submitted_at?: string;
  author_association: string;
}

/** Who may approve: people with write access. */
const TRUSTED = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** Reviews that do not change a reviewer's standing. */
const SILENT = new Set(['COMMENTED', 'PENDING']);

/** Each reviewer's standing review, in the order they were submitted. */
function standingReviews(reviews: Review[]): Map<string, string> {
  const ordered = [...reviews].sort((a, b) => (a.submitted_at ?? '').localeCompare(b.submitted_at ?? '') || a.id - b.id);
  const standing = new Map<string, string>();
  for (const review of ordered) {
    if (!review.user || SILENT.has(review.state)) continue;
    standing.set(review.user.login, review.state);
  }
  return standing;
}

export async function countApprovals(
  api: GitHubApi,
  context: GitHubRunContext,
  findPullRequest: () => Promise<PullRequestLookup>,
  required: number,
  onNoPullRequest: 'fail' | 'pass',
): Promise<ApprovalRecord> {
  const lookup = await findPullRequest();
  if ('none' in lookup) {
    if (onNoPullRequest === 'pass' && !lookup.lookupFailed) {
      return { required, status: 'skipped', detail: `${lookup.none}; passed as validate.review.no-pull-request is pass` };
    }
    return { required, status: 'failed', detail: `cannot count approvals: ${lookup.none}` };
  }
  const pull = lookup.found;
  const pullRequest = { number: pull.number, url: pull.url };
  const reviews = await api.attempt('approvals', 'pull-requests: read', (octokit) =>
    octokit.paginate(octokit.rest.pulls.listReviews, { owner: context.owner, repo: context.repo, pull_number: pull.number, per_page: 100 }),
  );
  if (!reviews.ok) return { required, pullRequest, status: 'failed', detail: `cannot count approvals on #${pull.number}: ${reviews.reason}` };
  const standing = [...standingReviews(reviews.value.filter((review) => TRUSTED.has(review.author_association)))];
  const outsiders = [...new Set(reviews.value.filter((review) => review.user && !TRUSTED.has(review.author_association) && !SILENT.has(review.state)).map((review) => review.user!.login))];
  const approvers = standing.filter(([, state]) => state === 'APPROVED').map(([login]) => login);
  const changesRequestedBy = standing.filter(([, state]) => state === 'CHANGES_REQUESTED').map(([login]) => login);
  const count = `${approvers.length} of ${required}${approvers.length ? `: ${approvers.join(', ')}` : ''} on #${pull.number}`;
  const passed = approvers.length >= required && changesRequestedBy.length === 0;
  const ignored = outsiders.length ? `; not counted (no write access): ${outsiders.join(', ')}` : '';
  const detail = (changesRequestedBy.length ? `changes requested by ${changesRequestedBy.join(', ')} (${count})` : count) + ignored;
  return { required, approved: approvers.length, approvers, changesRequestedBy, pullRequest, status: passed ? 'passed' : 'failed', detail };
}
