// The release history as the GitHub API tells it, for a shallow `actions/checkout` that has neither the tags nor
// the commits: the v* tags (`GET /repos/{o}/{r}/tags`), the commits since one (`GET /compare/{tag}...{sha}`), or the
// latest commits when there is no tag yet (`GET /commits?sha=`). A call that fails falls back to local git from then
// on, and the plan says so; so does a comparison GitHub capped.
import { localGitHistory, commitOf, isVersionTag, type ReleaseHistory, type VersionTag } from '../plan/release-history.js';
import type { Commit } from '../plan/version.js';
import type { GitHubApi } from './client.js';
import type { GitHubRunContext } from './run-context.js';

const PER_PAGE = 100;
/** Tags read at most (10 pages): enough for any release line; more is said. */
const MAX_TAG_PAGES = 10;
/** A comparison without paging parameters lists at most this many commits: the most recent ones (GitHub's docs). */
const COMPARE_LIMIT = 250;

export function githubReleaseHistory(api: GitHubApi, context: GitHubRunContext, workspace: string): ReleaseHistory {
  const local = localGitHistory(workspace);
  const notes: string[] = [];
  let fellBack = false;
  /** The API's answer, or local git's with the reason said; after one fallback, local git answers the rest (tags and
   *  commits from one place). */
  const orLocal = async <T>(what: string, call: () => Promise<{ ok: true; value: T } | { ok: false; reason: string }>, fallback: () => Promise<T>): Promise<T> => {
    if (fellBack) return fallback();
    const answer = await call();
    if (answer.ok) return answer.value;
    fellBack = true;
    notes.push(`GitHub API could not list ${what} (${answer.reason}): read from local git instead`);
    return fallback();
  };
  const { owner, repo, sha } = context;

  return {
    source: () => (fellBack ? 'local git' : 'GitHub API'),
    notes: () => [...notes, ...(fellBack ? local.notes() : [])],
    repositoryUrl: `${context.serverUrl}/${owner}/${repo}`,

    versionTags: () =>
      orLocal(
        'the tags',
        () =>
          api.attempt('version tags', 'contents: read', async (octokit) => {
            let pages = 0;
            const tags = await octokit.paginate(octokit.rest.repos.listTags, { owner, repo, per_page: PER_PAGE }, (response, done) => {
              pages += 1;
              if (pages === MAX_TAG_PAGES && response.data.length === PER_PAGE) {
                notes.push(`only the first ${MAX_TAG_PAGES * PER_PAGE} tags were read`);
                done();
              }
              return response.data;
            });
            return tags.filter((tag) => isVersionTag(tag.name)).map((tag): VersionTag => ({ name: tag.name, sha: tag.commit.sha }));
          }),
        () => local.versionTags(),
      ),

    commitsSince: (tag) =>
      orLocal(
        tag ? `the commits since ${tag}` : 'the commits',
        () =>
          api.attempt('version commits', 'contents: read', async (octokit): Promise<Commit[]> => {
            if (!tag) {
              const { data } = await octokit.rest.repos.listCommits({ owner, repo, sha, per_page: PER_PAGE });
              if (data.length === PER_PAGE) notes.push(`no v* tag yet: only the latest ${PER_PAGE} commits were read`);
              return data.map((entry) => commitOf(entry.sha, entry.commit.message));
            }
            // No paging parameters: the latest 250 commits, oldest first; git log's order is newest first.
            const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${tag}...${sha}` });
            if (data.total_commits > data.commits.length) {
              notes.push(`only the latest ${data.commits.length} of ${data.total_commits} commits since ${tag} were read (GitHub lists at most ${COMPARE_LIMIT})`);
            }
            return data.commits.map((entry) => commitOf(entry.sha, entry.commit.message)).reverse();
          }),
        () => local.commitsSince(tag),
      ),
  };
}
