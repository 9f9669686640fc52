// The sticky pull-request comment of one target: found again by its hidden marker *and* the token's own login (a
// comment by anyone else is never touched; an app token, whose login cannot be read, owns the bot comments), created once, then edited — at most once per stage, the final edit
// always. Copies left by two runs racing are reduced to the oldest. No pull request, no comment. The first refusal
// (a read-only token on a fork PR) or failure is one notice, and the comment is not attempted again in this run.
import type { GitHubFacts } from '../engine/model.js';
import { statusOf, type GitHubApi, type Octokit } from './client.js';
import type { PullRequestLookup } from './pull-request.js';
import type { GitHubRunContext } from './run-context.js';

const FEATURE = 'PR comment';
const PERMISSION = 'pull-requests: write';

export type CommentRecord = NonNullable<GitHubFacts['comment']>;

export interface StickyComment {
  /** Writes `body` unless an edit for `key` (a stage id) was already made in this run. */
  update(body: string, key: string): Promise<void>;
  /** Writes the run's last body, whatever was written before. */
  final(body: string): Promise<void>;
  /** The comment this run wrote, or undefined when it wrote none. */
  record(): CommentRecord | undefined;
}

/** The hidden first line that finds a target's comment again: `<!-- meta-deploy:web -->`. */
export function commentMarker(target: string): string {
  return `<!-- meta-deploy:${target} -->`;
}

interface WrittenComment {
  id: number;
  url: string;
  body: string;
}


/** The token's login, or undefined for an app installation token (GITHUB_TOKEN, an app's token), which is refused
 *  `GET /user` (403, or 404 on some servers): its comments are then known by their author being a bot. */
async function ownLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch (error) {
    if (statusOf(error) === 403 || statusOf(error) === 404) return undefined;
    throw error;
  }
}

export function createStickyComment(
  api: GitHubApi,
  context: GitHubRunContext,
  findPullRequest: () => Promise<PullRequestLookup>,
  target: string,
): StickyComment {
  const marker = commentMarker(target);
  const { owner, repo } = context;
  const keys = new Set<string>();
  let pullRequest: number | undefined;
  let comment: WrittenComment | undefined;
  let edits = 0;
  /** No pull request, a refusal, a failure, or the final body written: nothing more is sent. */
  let stopped = false;
  let queue: Promise<void> = Promise.resolve();

  async function create(octokit: Octokit, issue: number, body: string): Promise<WrittenComment> {
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issue, body });
    return { id: data.id, url: data.html_url, body };
  }

  async function edit(octokit: Octokit, issue: number, found: WrittenComment, body: string): Promise<WrittenComment> {
    if (found.body === body) return found;
    try {
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: found.id, body });
      edits++;
      return { id: data.id, url: data.html_url, body };
    } catch (error) {
      // Deleted by someone since it was found: write it again.
      if (statusOf(error) === 404) return create(octokit, issue, body);
      throw error;
    }
  }

  /** This token's comments with the marker, oldest first; the others are deleted. */
  async function findOurs(octokit: Octokit, issue: number): Promise<WrittenComment | undefined> {
    const login = await ownLogin(octokit);
    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issue, per_page: 100 });
    const byUs = (user: (typeof all)[number]['user']) => (login === undefined ? user?.type === 'Bot' : user?.login === login);
    const ours = all.filter((c) => byUs(c.user) && (c.body ?? '').includes(marker)).sort((a, b) => a.id - b.id);
    for (const copy of ours.slice(1)) {
      await octokit.rest.issues.deleteComment({ owner, repo, comment_id: copy.id }).catch((error: unknown) => {
        // Another run removed it first.
        if (statusOf(error) !== 404) throw error;
      });
    }
    const oldest = ours[0];
    return oldest && { id: oldest.id, url: oldest.html_url, body: oldest.body ?? '' };
  }

  async function write(body: string): Promise<void> {
    if (stopped) return;
    if (pullRequest === undefined) {
      const lookup = await findPullRequest();
      // Not a notice: a push without a pull request has no comment by design; a failed lookup said why already.
      if ('none' in lookup) {
        stopped = true;
        return;
      }
      pullRequest = lookup.found.number;
    }
    const issue = pullRequest;
    const written = await api.attempt(FEATURE, PERMISSION, async (octokit) => {
      if (comment) return edit(octokit, issue, comment, body);
      const found = await findOurs(octokit, issue);
      return found ? edit(octokit, issue, found, body) : create(octokit, issue, body);
    });
    if (written.ok) comment = written.value;
    else stopped = true;
  }

  /** Calls run one after another, in the order they were made. */
  function enqueue(work: () => Promise<void>): Promise<void> {
    queue = queue.then(work);
    return queue;
  }

  return {
    update(body, key) {
      return enqueue(async () => {
        if (keys.has(key)) return;
        keys.add(key);
        await write(body);
      });
    },
    final(body) {
      return enqueue(async () => {
        await write(body);
        stopped = true;
      });
    },
    record() {
      return comment && pullRequest !== undefined ? { url: comment.url, pullRequest, edits } : undefined;
    },
  };
}
