import { expect, test } from 'vitest';
import { publishRelease } from '../../src/github/release.js';
import { runContext, sha, startReleaseApi } from './release-api-stand-in.js';

const input = { tag: 'v1.3.0', target: 'web', version: '1.3.0', notes: '## 1.3.0\n\n### Features\n\n- feat: search\n', release: true };

test('an annotated tag object on the deployed commit, its ref, and a release with the changelog as notes', async () => {
  await using api = await startReleaseApi();
  const published = await publishRelease(api.api(), runContext({ sha: sha(3) }), input);
  expect(published).toEqual({
    tag: { name: 'v1.3.0', status: 'passed', detail: 'tagged through the GitHub API' },
    release: { url: 'http://github.test/acme/shop/releases/tag/v1.3.0', status: 'passed', detail: 'release created' },
    releaseUrl: 'http://github.test/acme/shop/releases/tag/v1.3.0',
  });
  const tagObject = api.tagObjects.get(api.refs.get('v1.3.0')!);
  expect(tagObject).toMatchObject({ tag: 'v1.3.0', object: sha(3), message: 'meta-deploy: web 1.3.0', tagger: { name: 'meta-deploy' } });
  expect(api.releases).toEqual([expect.objectContaining({ tag_name: 'v1.3.0', name: 'v1.3.0', body: input.notes, target_commitish: sha(3) })]);
});

test('a rerun finds its tag on this commit and its release, and says so: nothing duplicated', async () => {
  await using api = await startReleaseApi();
  await publishRelease(api.api(), runContext({ sha: sha(3) }), input);
  const again = await publishRelease(api.api(), runContext({ sha: sha(3) }), input);
  expect(again).toEqual({
    tag: { name: 'v1.3.0', status: 'skipped', detail: 'already tags this commit' },
    release: { url: 'http://github.test/acme/shop/releases/tag/v1.3.0', status: 'skipped', detail: 'release already exists' },
    releaseUrl: 'http://github.test/acme/shop/releases/tag/v1.3.0',
  });
  expect(api.releases).toHaveLength(1);
  expect(api.refs.size).toBe(1);
});

test('a lightweight tag of the same name on this commit also counts as ours', async () => {
  await using api = await startReleaseApi();
  api.refs.set('v1.3.0', sha(3));
  expect((await publishRelease(api.api(), runContext({ sha: sha(3) }), { ...input, release: false })).tag).toEqual({ name: 'v1.3.0', status: 'skipped', detail: 'already tags this commit' });
});

test('a tag of that name on another commit is a warning, left alone, and no release is attached to it', async () => {
  await using api = await startReleaseApi();
  api.refs.set('v1.3.0', sha(2));
  const published = await publishRelease(api.api(), runContext({ sha: sha(3) }), input);
  expect(published.tag).toEqual({ name: 'v1.3.0', status: 'warning', detail: `not tagged: v1.3.0 already exists on ${sha(2).slice(0, 7)}, not on ${sha(3).slice(0, 7)}` });
  expect(published.release).toEqual({ status: 'warning', detail: 'no release: the tag v1.3.0 is not on this commit' });
  expect(api.refs.get('v1.3.0')).toBe(sha(2));
  expect(api.releases).toEqual([]);
});

test('on a tag push the pushed tag is the release tag and no tag is created', async () => {
  await using api = await startReleaseApi();
  const published = await publishRelease(api.api(), runContext({ ref: 'refs/tags/v1.3.0' }), input);
  expect(published.tag).toEqual({ name: 'v1.3.0', status: 'skipped', detail: 'the pushed tag (no tag created)' });
  expect(published.release?.status).toBe('passed');
  expect(api.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /repos/acme/shop/releases']);
});

test('release: false makes the tag only', async () => {
  await using api = await startReleaseApi();
  const published = await publishRelease(api.api(), runContext(), { ...input, release: false });
  expect(published).toEqual({ tag: expect.objectContaining({ status: 'passed' }) });
  expect(api.releases).toEqual([]);
});

test('a read-only token: warnings naming contents: write, a notice, nothing thrown', async () => {
  await using api = await startReleaseApi();
  api.fail((request) => request.method === 'POST', 403);
  const client = api.api();
  const published = await publishRelease(client, runContext(), input);
  expect(published.tag).toMatchObject({ status: 'warning', detail: expect.stringMatching(/^not tagged: HTTP 403/) });
  expect(published.release?.status).toBe('warning');
  expect(client.notices).toEqual([expect.stringContaining('give the job "contents: write" under permissions:')]);
});

test('a release refused after the tag was made is a warning of its own', async () => {
  await using api = await startReleaseApi();
  api.fail((request) => request.path.endsWith('/releases'), 500);
  const published = await publishRelease(api.api(), runContext(), input);
  expect(published.tag.status).toBe('passed');
  expect(published.release).toEqual({ status: 'warning', detail: expect.stringMatching(/^no release: GitHub API unreachable \(HTTP 500\)/) });
  expect(published).not.toHaveProperty('releaseUrl');
});

test("notes over GitHub's 125,000 characters are shortened, saying so", async () => {
  await using api = await startReleaseApi();
  await publishRelease(api.api(), runContext(), { ...input, notes: 'x'.repeat(200_000) });
  const body = api.releases[0]!.body;
  expect(body.length).toBeLessThanOrEqual(125_000);
  expect(body).toMatch(/… \(shortened to GitHub's limit\)\n$/);
});
