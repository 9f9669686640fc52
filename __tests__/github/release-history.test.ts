// The release history from the GitHub API (a shallow checkout has neither the tags nor the commits), against the
// GitHub API stand-in: tags across pages, the commits since the latest v* tag, a comparison GitHub capped, and local
// git answering when the API refuses.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { githubReleaseHistory } from '../../src/github/release-history.js';
import { computeVersion } from '../../src/plan/version.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api/server.js';
import { clientFor, runContext } from './context.js';

let workspace: string;
let github: GitHubApi;
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'meta-deploy-gh-history-'));
  github = await startGitHubApi();
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
  await github.stop();
  expect(github.violations).toEqual([]);
});

/** The history read at `sha` through the stand-in. */
const historyAt = (sha: string) => githubReleaseHistory(clientFor(github), runContext(github, { sha }), workspace);

/** A shallow clone's view: one commit, no tags. */
function shallowClone(): string {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd: workspace, encoding: 'utf8' });
  git('init', '-q');
  git('commit', '--allow-empty', '-q', '-m', 'feat!: only the checked-out commit');
  return git('rev-parse', 'HEAD').trim();
}

test('tags and the commits since the latest come from the API: version, changes and order as local git gives them', async () => {
  const [initial, fix, feat] = github.state.addCommits(['chore: initial', 'fix: small thing (#7)', 'feat: search\n\nLonger explanation\nover two lines.']) as [string, string, string];
  github.state.addTag('v1.2.3', initial, 'Release 1.2.3');
  github.state.addTag('vnext', fix);
  const head = shallowClone();
  const history = historyAt(feat);
  const computed = await computeVersion(history, 'refs/heads/main', feat);
  expect(computed).toMatchObject({ version: '1.3.0', source: 'commits', previousTag: 'v1.2.3' });
  expect(computed.commits).toEqual([
    { sha: feat, subject: 'feat: search', body: 'Longer explanation\nover two lines.' },
    { sha: fix, subject: 'fix: small thing (#7)', body: '' },
  ]);
  expect(history.source()).toBe('GitHub API');
  expect(history.notes()).toEqual([]);
  expect(history.repositoryUrl).toBe('http://github.test/acme/shop');
  expect(github.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /repos/acme/shop/tags', `GET /repos/acme/shop/compare/v1.2.3...${feat}`]);
  // The shallow clone alone would have said 0.1.0.
  expect(head).not.toBe(feat);
});

test('tags are read across pages', async () => {
  const shas = github.state.addCommits(Array.from({ length: 250 }, (_, index) => `fix: ${index + 1}`));
  github.state.addTag('v1.0.0', shas[199]);
  for (let n = 1; n <= 149; n++) github.state.addTag(`v0.0.${n}`, shas[n - 1]);
  const head = shas[249]!;
  expect(await computeVersion(historyAt(head), undefined, head)).toMatchObject({ version: '1.0.1', previousTag: 'v1.0.0' });
  expect(github.requests.filter((request) => request.route === 'GET /repos/{owner}/{repo}/tags').map((request) => request.query.get('page') ?? '1')).toEqual(['1', '2']);
});

test('the commit deployed at a v* tag keeps its version; a tag push takes the tag and compares from the one below', async () => {
  const [a, b] = github.state.addCommits(['feat: a', 'fix: b']) as [string, string];
  github.state.addTag('v0.1.0', a);
  github.state.addTag('v0.1.1', b);
  const history = historyAt(b);
  expect(await computeVersion(history, undefined, b)).toMatchObject({ version: '0.1.1', source: 'unchanged', previousTag: 'v0.1.0', commits: [{ subject: 'fix: b' }] });
  expect(await computeVersion(history, 'refs/tags/v0.1.1', b)).toMatchObject({ version: '0.1.1', source: 'tag', previousTag: 'v0.1.0' });
});

test('without a v* tag, the latest commits are listed from the deployed commit (0.1.0)', async () => {
  const [, x] = github.state.addCommits(['chore: initial', 'feat: x']) as [string, string];
  github.state.addCommits(['fix: after the deployed commit']);
  const computed = await computeVersion(historyAt(x), undefined, x);
  expect(computed).toMatchObject({ version: '0.1.0', source: 'first' });
  expect(computed.commits.map((commit) => commit.subject)).toEqual(['feat: x', 'chore: initial']);
  expect(github.requests.at(-1)?.query.get('sha')).toBe(x);
});

test('a comparison GitHub capped at 250 commits is said in the notes', async () => {
  const shas = github.state.addCommits(Array.from({ length: 301 }, (_, index) => (index === 1 ? 'feat!: an old breaking change' : `fix: ${index + 1}`)));
  github.state.addTag('v1.0.0', shas[0]);
  const head = shas[300]!;
  const history = historyAt(head);
  const computed = await computeVersion(history, undefined, head);
  expect(computed.commits).toHaveLength(250);
  expect(computed.commits[0]?.sha).toBe(head);
  expect(history.notes()).toEqual(['only the latest 250 of 300 commits since v1.0.0 were read (GitHub lists at most 250)']);
});

test('when the API refuses, local git answers and the history says so (source local git, the reason in the notes)', async () => {
  github.state.addCommits(['feat: first']);
  github.state.addTag('v5.0.0');
  github.faults.add({ answer: 'not-accessible', when: (request) => request.route === 'GET /repos/{owner}/{repo}/tags' });
  const head = shallowClone();
  const history = historyAt(head);
  const computed = await computeVersion(history, undefined, head);
  // No tag locally: the first release, and its commits from the clone.
  expect(computed).toMatchObject({ version: '0.1.0', source: 'first', commits: [{ sha: head, subject: 'feat!: only the checked-out commit' }] });
  expect(history.source()).toBe('local git');
  expect(history.notes()).toEqual([expect.stringMatching(/^GitHub API could not list the tags \(HTTP 403 \(Resource not accessible by integration.*\)\): read from local git instead$/)]);
});
