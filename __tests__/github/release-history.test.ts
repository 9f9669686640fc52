import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { githubReleaseHistory } from '../../src/github/release-history.js';
import { computeVersion } from '../../src/plan/version.js';
import { runContext, sha, startReleaseApi } from './release-api-stand-in.js';

let workspace: string;
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'meta-deploy-gh-history-'));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

/** A shallow clone's view: one commit, no tags. */
function shallowClone(): string {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd: workspace, encoding: 'utf8' });
  git('init', '-q');
  git('commit', '--allow-empty', '-q', '-m', 'feat!: only the checked-out commit');
  return git('rev-parse', 'HEAD').trim();
}

test('tags and the commits since the latest come from the API: version, changes and order as local git gives them', async () => {
  await using api = await startReleaseApi();
  api.commits.push(
    { sha: sha(1), message: 'chore: initial' },
    { sha: sha(2), message: 'fix: small thing (#7)' },
    { sha: sha(3), message: 'feat: search\n\nLonger explanation\nover two lines.' },
  );
  api.refs.set('v1.2.3', sha(1));
  api.refs.set('vnext', sha(2));
  const head = shallowClone();
  const history = githubReleaseHistory(api.api(), runContext({ sha: sha(3) }), workspace);
  const computed = await computeVersion(history, 'refs/heads/main', sha(3));
  expect(computed).toMatchObject({ version: '1.3.0', source: 'commits', previousTag: 'v1.2.3' });
  expect(computed.commits).toEqual([
    { sha: sha(3), subject: 'feat: search', body: 'Longer explanation\nover two lines.' },
    { sha: sha(2), subject: 'fix: small thing (#7)', body: '' },
  ]);
  expect(history.source()).toBe('GitHub API');
  expect(history.notes()).toEqual([]);
  expect(history.repositoryUrl).toBe('http://github.test/acme/shop');
  expect(api.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /repos/acme/shop/tags', 'GET /repos/acme/shop/compare/v1.2.3...' + sha(3)]);
  // The shallow clone alone would have said 0.1.0.
  expect(head).not.toBe(sha(3));
});

test('tags are read across pages', async () => {
  await using api = await startReleaseApi();
  for (let n = 1; n <= 250; n++) api.commits.push({ sha: sha(n), message: `fix: ${n}` });
  for (let n = 1; n <= 149; n++) api.refs.set(`v0.0.${n}`, sha(n));
  api.refs.set('v1.0.0', sha(200));
  const history = githubReleaseHistory(api.api(), runContext({ sha: sha(250) }), workspace);
  expect(await computeVersion(history, undefined, sha(250))).toMatchObject({ version: '1.0.1', previousTag: 'v1.0.0' });
  expect(api.requests.filter((request) => request.path.endsWith('/tags')).map((request) => request.query.get('page') ?? '1')).toEqual(['1', '2']);
});

test('the commit deployed at a v* tag keeps its version; a tag push takes the tag and compares from the one below', async () => {
  await using api = await startReleaseApi();
  api.commits.push({ sha: sha(1), message: 'feat: a' }, { sha: sha(2), message: 'fix: b' });
  api.refs.set('v0.1.0', sha(1));
  api.refs.set('v0.1.1', sha(2));
  const history = githubReleaseHistory(api.api(), runContext({ sha: sha(2) }), workspace);
  expect(await computeVersion(history, undefined, sha(2))).toMatchObject({ version: '0.1.1', source: 'unchanged', previousTag: 'v0.1.0', commits: [{ subject: 'fix: b' }] });
  expect(await computeVersion(history, 'refs/tags/v0.1.1', sha(2))).toMatchObject({ version: '0.1.1', source: 'tag', previousTag: 'v0.1.0' });
});

test('without a v* tag, the latest commits are listed from the deployed commit (0.1.0)', async () => {
  await using api = await startReleaseApi();
  api.commits.push({ sha: sha(1), message: 'chore: initial' }, { sha: sha(2), message: 'feat: x' });
  const history = githubReleaseHistory(api.api(), runContext({ sha: sha(2) }), workspace);
  const computed = await computeVersion(history, undefined, sha(2));
  expect(computed).toMatchObject({ version: '0.1.0', source: 'first' });
  expect(computed.commits.map((commit) => commit.subject)).toEqual(['feat: x', 'chore: initial']);
  expect(api.requests.at(-1)?.query.get('sha')).toBe(sha(2));
});

test('a comparison GitHub capped at 250 commits is said in the notes', async () => {
  await using api = await startReleaseApi();
  for (let n = 1; n <= 301; n++) api.commits.push({ sha: sha(n), message: n === 2 ? 'feat!: an old breaking change' : `fix: ${n}` });
  api.refs.set('v1.0.0', sha(1));
  const history = githubReleaseHistory(api.api(), runContext({ sha: sha(301) }), workspace);
  const computed = await computeVersion(history, undefined, sha(301));
  expect(computed.commits).toHaveLength(250);
  expect(computed.commits[0]?.sha).toBe(sha(301));
  expect(history.notes()).toEqual(['only the latest 250 of 300 commits since v1.0.0 were read (GitHub lists at most 250)']);
});

test('when the API refuses, local git answers and the history says so (source local git, the reason in the notes)', async () => {
  await using api = await startReleaseApi();
  api.refs.set('v5.0.0', sha(1));
  api.fail((request) => request.path.endsWith('/tags'), 403);
  const head = shallowClone();
  const history = githubReleaseHistory(api.api(), runContext({ sha: head }), workspace);
  const computed = await computeVersion(history, undefined, head);
  // No tag locally: the first release, and its commits from the clone.
  expect(computed).toMatchObject({ version: '0.1.0', source: 'first', commits: [{ sha: head, subject: 'feat!: only the checked-out commit' }] });
  expect(history.source()).toBe('local git');
  expect(history.notes()).toEqual([expect.stringMatching(/^GitHub API could not list the tags \(HTTP 403 \(Resource not accessible by integration.*\)\): read from local git instead$/)]);
});
