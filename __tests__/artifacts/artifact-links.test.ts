// Symbolic links the artifact patterns match are found and named (the glob alone would drop them silently); links
// outside the patterns, excluded by a "!" pattern, or in the state dir are not.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { linksAmongArtifacts } from '../../src/artifacts/artifact-links.js';
import { matchArtifacts } from '../../src/artifacts/collect-artifacts.js';

let workspace: string;
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'meta-deploy-links-'));
  for (const dir of ['out/sub/deeper', 'outside', 'docs', '.meta-deploy']) await mkdir(join(workspace, dir), { recursive: true });
  await writeFile(join(workspace, 'out', 'app.js'), 'app');
  await writeFile(join(workspace, 'outside', 'x'), 'x');
  await symlink('../outside/x', join(workspace, 'out', 'to-file'));
  await symlink('/etc/hostname', join(workspace, 'out', 'sub', 'deeper', 'absolute'));
  await symlink('../outside', join(workspace, 'out', 'to-dir'));
  await symlink('nowhere', join(workspace, 'out', 'broken.map'));
  await symlink('../outside/x', join(workspace, 'docs', 'not-matched'));
  await symlink('../outside/x', join(workspace, '.meta-deploy', 'in-state-dir'));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

test('every link a pattern matches is named with its target, in folders with no regular file too; the glob alone lists none', async () => {
  expect(await matchArtifacts(workspace, ['out/**'])).toEqual(['out/app.js']);
  expect(await linksAmongArtifacts(workspace, ['out/**'])).toEqual([
    { path: 'out/broken.map', target: 'nowhere' },
    { path: 'out/sub/deeper/absolute', target: '/etc/hostname' },
    { path: 'out/to-dir', target: '../outside' },
    { path: 'out/to-file', target: '../outside/x' },
  ]);
});

test('a "!" pattern leaves a link out; a pattern naming a link finds it; the state dir is never looked at', async () => {
  expect((await linksAmongArtifacts(workspace, ['out/**', '!out/**/*.map', '!out/sub/**'])).map((link) => link.path)).toEqual(['out/to-dir', 'out/to-file']);
  expect(await linksAmongArtifacts(workspace, ['out/to-file'])).toEqual([{ path: 'out/to-file', target: '../outside/x' }]);
  expect((await linksAmongArtifacts(workspace, ['**/*'], [join(workspace, '.meta-deploy')])).map((link) => link.path)).toEqual([
    'docs/not-matched',
    'out/broken.map',
    'out/sub/deeper/absolute',
    'out/to-dir',
    'out/to-file',
  ]);
});

test('a pattern naming a directory (as the glob reads it: everything under it) finds the links under it', async () => {
  for (const pattern of ['out', 'out/', './out']) {
    expect((await linksAmongArtifacts(workspace, [pattern])).map((link) => link.path), pattern).toEqual(['out/broken.map', 'out/sub/deeper/absolute', 'out/to-dir', 'out/to-file']);
  }
});
