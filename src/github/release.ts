// Finalize through the API: the annotated tag (`POST /git/tags` + `POST /git/refs`; no git push, so a shallow
// checkout and a read-only clone are fine) and the GitHub release with the changelog as its notes. On a tag push the
// pushed tag is the release's tag and none is made. A rerun finds its tag ("already tags this commit") and its
// release ("release already exists") and says so. Nothing here fails the run: every refusal is a warning with its
// reason (`contents: write` is the permission to add).
import semver from 'semver';
import type { PublishedRelease, ReleaseInput } from '../engine/github-port.js';
import type { FinalizeData } from '../engine/model.js';
import { statusOf, type GitHubApi, type Octokit } from './client.js';
import type { GitHubRunContext } from './run-context.js';

type TagRecord = PublishedRelease['tag'];
type ReleaseRecord = NonNullable<FinalizeData['release']>;

const PERMISSION = 'contents: write';
/** The tagger of the tag object; the local path (finalize without GitHub) uses the same identity. */
const TAGGER = { name: 'meta-deploy', email: 'meta-deploy@users.noreply.github.com' };
/** GitHub refuses a release body longer than this. */
const MAX_BODY = 125_000;

interface RequestError {
  status?: number;
  message?: string;
  response?: { data?: { errors?: { code?: string }[] } };
}


const short = (sha: string) => sha.slice(0, 7);

/** The commit a tag ref ends at: through annotated tag objects (a tag of a tag is allowed, if rare). */
async function taggedCommit(octokit: Octokit, context: GitHubRunContext, name: string): Promise<string> {
  const { owner, repo } = context;
  let object: { type: string; sha: string } = (await octokit.rest.git.getRef({ owner, repo, ref: `tags/${name}` })).data.object;
  for (let depth = 0; object.type === 'tag' && depth < 5; depth++) object = (await octokit.rest.git.getTag({ owner, repo, tag_sha: object.sha })).data.object;
  return object.sha;
}

async function createTag(api: GitHubApi, context: GitHubRunContext, input: ReleaseInput): Promise<TagRecord> {
  const { owner, repo, sha } = context;
  const name = input.tag;
  const made = await api.attempt('tag', PERMISSION, async (octokit): Promise<TagRecord> => {
    const tagObject = await octokit.rest.git.createTag({ owner, repo, tag: name, message: `meta-deploy: ${input.target} ${input.version}`, object: sha, type: 'commit', tagger: TAGGER });
    try {
      await octokit.rest.git.createRef({ owner, repo, ref: `refs/tags/${name}`, sha: tagObject.data.sha });
      return { name, status: 'passed', detail: 'tagged through the GitHub API' };
    } catch (error) {
      // "Reference already exists": a rerun (our tag) or someone else's tag on another commit.
      if (statusOf(error) !== 422) throw error;
      const commit = await taggedCommit(octokit, context, name);
      return commit === sha
        ? { name, status: 'skipped', detail: 'already tags this commit' }
        : { name, status: 'warning', detail: `not tagged: ${name} already exists on ${short(commit)}, not on ${short(sha)}` };
    }
  });
  return made.ok ? made.value : { name, status: 'warning', detail: `not tagged: ${made.reason}` };
}

async function createRelease(api: GitHubApi, context: GitHubRunContext, tag: string, version: string, notes: string): Promise<ReleaseRecord> {
  const { owner, repo, sha } = context;
  const body = notes.length > MAX_BODY ? `${notes.slice(0, MAX_BODY - 40)}\n\n… (shortened to GitHub's limit)\n` : notes;
  const made = await api.attempt('release', PERMISSION, async (octokit): Promise<ReleaseRecord> => {
    try {
      // A 1.2.3-rc.1 is a pre-release; "legacy" lets GitHub pick the latest by date and semver, so a hotfix on an
      // older line does not become the latest release.
      const prerelease = semver.prerelease(version) !== null;
      const { data } = await octokit.rest.repos.createRelease({ owner, repo, tag_name: tag, name: tag, body, target_commitish: sha, prerelease, make_latest: 'legacy' });
      return { url: data.html_url, status: 'passed', detail: 'release created' };
    } catch (error) {
      const codes = (error as RequestError).response?.data?.errors?.map((entry) => entry.code) ?? [];
      if (statusOf(error) !== 422 || !codes.includes('already_exists')) throw error;
      const { data } = await octokit.rest.repos.getReleaseByTag({ owner, repo, tag });
      return { url: data.html_url, status: 'skipped', detail: 'release already exists' };
    }
  });
  return made.ok ? made.value : { status: 'warning', detail: `no release: ${made.reason}` };
}

export async function publishRelease(api: GitHubApi, context: GitHubRunContext, input: ReleaseInput): Promise<PublishedRelease> {
  const pushed = context.ref.startsWith('refs/tags/') ? context.ref.slice('refs/tags/'.length) : undefined;
  const tag: TagRecord = pushed ? { name: pushed, status: 'skipped', detail: 'the pushed tag (no tag created)' } : await createTag(api, context, input);
  if (!input.release) return { tag };
  if (tag.status === 'warning') return { tag, release: { status: 'warning', detail: `no release without its tag (${tag.detail})` } };
  const release = await createRelease(api, context, tag.name, input.version, input.notes);
  return { tag, release, ...(release.url ? { releaseUrl: release.url } : {}) };
}
