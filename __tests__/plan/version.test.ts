import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { localGitHistory } from '../../src/plan/release-history.js';
import { bumpFor, computeVersion, versionFromRef, type Bump, type Commit } from '../../src/plan/version.js';

const GIT_IDENTITY = ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', '-c', 'tag.gpgsign=false'];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', [...GIT_IDENTITY, ...args], { cwd, encoding: 'utf8' });
}
function commit(cwd: string, message: string): string {
  git(cwd, 'commit', '--allow-empty', '-q', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD').trim();
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meta-deploy-version-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** As the plan does: the local history, and HEAD as the commit deployed (none outside a repository). */
function versionAt(cwd: string, ref: string | undefined) {
  let head: string | undefined;
  try {
    head = git(cwd, 'rev-parse', 'HEAD').trim();
  } catch {
    head = undefined;
  }
  return computeVersion(localGitHistory(cwd), ref, head);
}

function initRepo(): string {
  git(dir, 'init', '-q');
  return dir;
}

const c = (subject: string, body = ''): Commit => ({ sha: '0'.repeat(40), subject, body });

describe('bumpFor', () => {
  const table: [string, Commit[], Bump][] = [
    ['feat → minor', [c('feat: add search')], 'minor'],
    ['scoped feat → minor', [c('feat(api): add search')], 'minor'],
    ['fix → patch', [c('fix: off by one')], 'patch'],
    ['chore → patch', [c('chore: bump deps')], 'patch'],
    ['a commit that is not conventional → patch', [c('Update README')], 'patch'],
    ['no commits → patch', [], 'patch'],
    ['feat! → major', [c('feat!: drop node 18')], 'major'],
    ['scoped fix! → major', [c('fix(core)!: change the default')], 'major'],
    ['BREAKING CHANGE: in the body → major', [c('fix: rename flag', 'The flag is renamed.\n\nBREAKING CHANGE: --old is gone')], 'major'],
    ['BREAKING-CHANGE: in the body → major', [c('refactor: x', 'BREAKING-CHANGE: y')], 'major'],
    ['"BREAKING CHANGE:" inside a sentence is not a footer → patch', [c('docs: explain', 'this is not a BREAKING CHANGE: really')], 'patch'],
    ['fix then feat → minor', [c('fix: a'), c('feat: b'), c('chore: c')], 'minor'],
    ['feat then breaking → major', [c('feat: a'), c('chore!: b')], 'major'],
    ['"feature:" is not feat → patch', [c('feature: x')], 'patch'],
  ];
  test.each(table)('%s', (_title, commits, expected) => {
    expect(bumpFor(commits)).toBe(expected);
  });
});

describe('versionFromRef', () => {
  const table: [string | undefined, string | undefined][] = [
    ['refs/tags/v1.2.3', '1.2.3'],
    ['refs/tags/1.2.3', '1.2.3'],
    ['refs/tags/v2.0.0-rc.1', '2.0.0-rc.1'],
    ['refs/tags/release-candidate', undefined],
    ['refs/tags/v1.2', undefined],
    ['refs/heads/main', undefined],
    ['refs/heads/v1.2.3', undefined],
    ['refs/pull/7/merge', undefined],
    ['', undefined],
    [undefined, undefined],
  ];
  test.each(table)('%s → %s', (ref, expected) => {
    expect(versionFromRef(ref)).toBe(expected);
  });
});

describe('computeVersion against real git repositories', () => {
  test('a repository without tags starts at 0.1.0 (source first) and lists every commit', async () => {
    initRepo();
    const first = commit(dir, 'chore: initial');
    const second = commit(dir, 'feat: first feature');
    const computed = await versionAt(dir, undefined);
    expect(computed.version).toBe('0.1.0');
    expect(computed.source).toBe('first');
    expect(computed.previousTag).toBeUndefined();
    expect(computed.commits.map((entry) => [entry.sha, entry.subject])).toEqual([
      [second, 'feat: first feature'],
      [first, 'chore: initial'],
    ]);
  });

  test('a feat: commit after v1.2.3 gives 1.3.0 from the commits, with previousTag v1.2.3', async () => {
    initRepo();
    commit(dir, 'chore: initial');
    git(dir, 'tag', 'v1.2.3');
    commit(dir, 'fix: small thing');
    commit(dir, 'feat: new endpoint');
    const computed = await versionAt(dir, 'refs/heads/main');
    expect(computed).toMatchObject({ version: '1.3.0', source: 'commits', previousTag: 'v1.2.3' });
    expect(computed.commits.map((entry) => entry.subject)).toEqual(['feat: new endpoint', 'fix: small thing']);
  });

  test('a fix: commit after v1.2.3 gives 1.2.4', async () => {
    initRepo();
    commit(dir, 'chore: initial');
    git(dir, 'tag', 'v1.2.3');
    commit(dir, 'fix: small thing');
    expect(await versionAt(dir, undefined)).toMatchObject({ version: '1.2.4', source: 'commits', previousTag: 'v1.2.3' });
  });

  test('a BREAKING CHANGE footer after v1.2.3 gives 2.0.0, and the body is read', async () => {
    initRepo();
    commit(dir, 'chore: initial');
    git(dir, 'tag', 'v1.2.3');
    commit(dir, 'refactor: rename the flag\n\nBREAKING CHANGE: --old is gone');
    const computed = await versionAt(dir, undefined);
    expect(computed.version).toBe('2.0.0');
    expect(computed.commits[0]?.body).toBe('BREAKING CHANGE: --old is gone');
  });

  test('the latest tag is chosen by semantic version, not by name, and tags that are not semver are ignored', async () => {
    initRepo();
    commit(dir, 'chore: initial');
    git(dir, 'tag', 'v1.9.0');
    commit(dir, 'chore: more');
    git(dir, 'tag', 'v1.10.0');
    git(dir, 'tag', 'vnext');
    git(dir, 'tag', 'release-5.0.0');
    commit(dir, 'fix: x');
    expect(await versionAt(dir, undefined)).toMatchObject({ version: '1.10.1', previousTag: 'v1.10.0' });
  });

  test('a tag ref refs/tags/v2.0.0 gives 2.0.0 (source tag) with previousTag the highest tag below it', async () => {
    initRepo();
    commit(dir, 'chore: initial');
    git(dir, 'tag', 'v1.2.3');
    commit(dir, 'feat: a');
    git(dir, 'tag', 'v1.10.0');
    commit(dir, 'feat!: b');
    git(dir, 'tag', 'v2.0.0');
    git(dir, 'tag', 'v3.0.0'); // a later tag on the same commit does not count as "before"
    const computed = await versionAt(dir, 'refs/tags/v2.0.0');
    expect(computed).toMatchObject({ version: '2.0.0', source: 'tag', previousTag: 'v1.10.0' });
    expect(computed.commits.map((entry) => entry.subject)).toEqual(['feat!: b']);
  });

  test('a tag ref that is the first tag has no previousTag', async () => {
    initRepo();
    commit(dir, 'chore: initial');
    git(dir, 'tag', 'v1.0.0');
    const computed = await versionAt(dir, 'refs/tags/v1.0.0');
    expect(computed).toMatchObject({ version: '1.0.0', source: 'tag' });
    expect(computed.previousTag).toBeUndefined();
  });

  test('HEAD exactly at v0.1.1 keeps 0.1.1 (source unchanged), with the release before it as previousTag', async () => {
    initRepo();
    commit(dir, 'feat: first');
    git(dir, 'tag', 'v0.1.0');
    commit(dir, 'fix: second');
    git(dir, 'tag', 'v0.1.1');
    const computed = await versionAt(dir, undefined);
    expect(computed).toMatchObject({ version: '0.1.1', source: 'unchanged', previousTag: 'v0.1.0' });
    expect(computed.commits.map((entry) => entry.subject)).toEqual(['fix: second']);
    // One commit later, there is something new again.
    commit(dir, 'fix: third');
    expect(await versionAt(dir, undefined)).toMatchObject({ version: '0.1.2', source: 'commits', previousTag: 'v0.1.1' });
  });

  test('an annotated tag on HEAD counts as on HEAD (the tag is peeled to its commit)', async () => {
    initRepo();
    commit(dir, 'feat: first');
    git(dir, 'tag', '-a', 'v0.2.0', '-m', 'release 0.2.0');
    expect(await versionAt(dir, undefined)).toMatchObject({ version: '0.2.0', source: 'unchanged' });
  });

  test('a workspace that is not a git repository gives 0.1.0 and no commits', async () => {
    const computed = await versionAt(dir, undefined);
    expect(computed).toEqual({ version: '0.1.0', source: 'first', commits: [] });
  });
});
