// The tag and the release through the GitHub API, against the GitHub API stand-in: an annotated tag on the deployed
// commit and a release with the changelog as notes, found again on a rerun, left alone when the name is taken on
// another commit, the pushed tag on a tag push, and warnings (never failures) when GitHub refuses.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { publishRelease } from '../../src/github/release.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api/server.js';
import { clientFor, requestLines, runContext } from './context.js';

const input = { tag: 'v1.3.0', target: 'web', version: '1.3.0', notes: '## 1.3.0\n\n### Features\n\n- feat: search\n', release: true };
const RELEASE_URL = 'http://github.test/acme/shop/releases/tag/v1.3.0';

let github: GitHubApi;
let earlier: string;
let deployed: string;
beforeEach(async () => {
  github = await startGitHubApi();
  [earlier, deployed] = github.state.addCommits(['fix: a crash', 'feat: search']) as [string, string];
});
afterEach(async () => {
  await github.stop();
  expect(github.violations).toEqual([]);
});

const publish = (overrides: Partial<typeof input> = {}, ref?: string) => publishRelease(clientFor(github), runContext(github, { sha: deployed, ...(ref ? { ref } : {}) }), { ...input, ...overrides });
const tagRefs = () => [...github.state.refs.keys()].filter((ref) => ref.startsWith('refs/tags/'));

test('an annotated tag object on the deployed commit, its ref, and a release with the changelog as notes', async () => {
  const published = await publish();
  expect(published).toEqual({
    tag: { name: 'v1.3.0', status: 'passed', detail: 'tagged through the GitHub API' },
    release: { url: RELEASE_URL, status: 'passed', detail: 'release created' },
    releaseUrl: RELEASE_URL,
  });
  const tagObject = github.state.tagObjects.get(github.state.refs.get('refs/tags/v1.3.0')!);
  expect(tagObject).toMatchObject({ tag: 'v1.3.0', object: { sha: deployed, type: 'commit' }, message: 'meta-deploy: web 1.3.0', tagger: { name: 'meta-deploy' } });
  expect(github.state.releases).toEqual([expect.objectContaining({ tag_name: 'v1.3.0', name: 'v1.3.0', body: input.notes, target_commitish: deployed })]);
});

test('a rerun finds its tag on this commit and its release, and says so: nothing duplicated', async () => {
  await publish();
  const again = await publish();
  expect(again).toEqual({
    tag: { name: 'v1.3.0', status: 'skipped', detail: 'already tags this commit' },
    release: { url: RELEASE_URL, status: 'skipped', detail: 'release already exists' },
    releaseUrl: RELEASE_URL,
  });
  expect(github.state.releases).toHaveLength(1);
  expect(tagRefs()).toEqual(['refs/tags/v1.3.0']);
});

test('a lightweight tag of the same name on this commit also counts as ours', async () => {
  github.state.addTag('v1.3.0', deployed);
  expect((await publish({ release: false })).tag).toEqual({ name: 'v1.3.0', status: 'skipped', detail: 'already tags this commit' });
});

test('a tag of that name on another commit is a warning, left alone, and no release is attached to it', async () => {
  github.state.addTag('v1.3.0', earlier);
  const before = github.state.refs.get('refs/tags/v1.3.0');
  const published = await publish();
  expect(published.tag).toEqual({ name: 'v1.3.0', status: 'warning', detail: `not tagged: v1.3.0 already exists on ${earlier.slice(0, 7)}, not on ${deployed.slice(0, 7)}` });
  expect(published.release).toEqual({ status: 'warning', detail: `no release without its tag (not tagged: v1.3.0 already exists on ${earlier.slice(0, 7)}, not on ${deployed.slice(0, 7)})` });
  expect(github.state.refs.get('refs/tags/v1.3.0')).toBe(before);
  expect(github.state.releases).toEqual([]);
});

test('on a tag push the pushed tag is the release tag and no tag is created', async () => {
  github.state.addTag('v1.3.0', deployed);
  const published = await publish({}, 'refs/tags/v1.3.0');
  expect(published.tag).toEqual({ name: 'v1.3.0', status: 'skipped', detail: 'the pushed tag (no tag created)' });
  expect(published.release?.status).toBe('passed');
  expect(requestLines(github)).toEqual(['POST /repos/acme/shop/releases']);
});

test('release: false makes the tag only', async () => {
  const published = await publish({ release: false });
  expect(published).toEqual({ tag: expect.objectContaining({ status: 'passed' }) });
  expect(tagRefs()).toEqual(['refs/tags/v1.3.0']);
  expect(github.state.releases).toEqual([]);
});

test('a read-only token: warnings naming contents: write, a notice, nothing thrown', async () => {
  github.faults.add({ answer: 'not-accessible', when: (request) => request.method === 'POST' });
  const client = clientFor(github);
  const published = await publishRelease(client, runContext(github, { sha: deployed }), input);
  expect(published.tag).toMatchObject({ status: 'warning', detail: expect.stringMatching(/^not tagged: HTTP 403/) });
  expect(published.release?.status).toBe('warning');
  expect(client.notices).toEqual([expect.stringContaining('give the job "contents: write" under permissions:')]);
  expect(tagRefs()).toEqual([]);
});

test('a release refused after the tag was made is a warning of its own', async () => {
  github.faults.add({ answer: 'server-error', when: (request) => request.route === 'POST /repos/{owner}/{repo}/releases' });
  const published = await publish();
  expect(published.tag.status).toBe('passed');
  expect(published.release).toEqual({ status: 'warning', detail: expect.stringMatching(/^no release: GitHub API unreachable \(HTTP 500/) });
  expect(published).not.toHaveProperty('releaseUrl');
});

test("notes over GitHub's 125,000 characters are shortened, saying so", async () => {
  await publish({ notes: 'x'.repeat(200_000) });
  const body = github.state.releases[0]!.body!;
  expect(body.length).toBeLessThanOrEqual(125_000);
  expect(body).toMatch(/… \(shortened to GitHub's limit\)\n$/);
});

test('a pre-release version is marked as one, and GitHub picks the latest release by date and semver', async () => {
  await publish({ version: '1.3.0-rc.1', tag: 'v1.3.0-rc.1' });
  const sent = JSON.parse(github.requests.find((request) => request.route === 'POST /repos/{owner}/{repo}/releases')!.body.toString());
  expect(sent).toMatchObject({ tag_name: 'v1.3.0-rc.1', prerelease: true, make_latest: 'legacy' });
});
