import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { collectArtifacts, manifestFileOf, writeManifest } from '../../src/artifacts/collect-artifacts.js';
import { parseManifest, verifyAgainstManifest, verifyBuiltArtifacts } from '../../src/artifacts/verify-manifest.js';
import type { ArtifactRecord } from '../../src/engine/model.js';

let root: string;
let into: string;
let artifacts: ArtifactRecord[];
let manifestSha256: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'meta-deploy-verify-'));
  const tree = { 'dist/app.js': 'console.log(1);\n', 'dist/index.html': '<h1>hi</h1>\n', 'dist/lib/util.js': 'export {};\n' };
  for (const [path, content] of Object.entries(tree)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  into = join(root, 'store', 'build-1');
  ({ artifacts } = await collectArtifacts(root, Object.keys(tree), into));
  ({ sha256: manifestSha256 } = await writeManifest(into, artifacts));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});
const sizes = () => ({ artifacts });
/** A change that keeps the size, made to look older than the manifest: only a full hash sees it. */
async function sameSizeBackdated(path: string, content: string): Promise<void> {
  await writeFile(join(into, path), content);
  await utimes(join(into, path), new Date(2000, 0, 1), new Date(2000, 0, 1));
}

describe('parseManifest', () => {
  test('reads sha256sum lines, text and binary mode', () => {
    const hash = 'a'.repeat(64);
    expect([...parseManifest(`${hash}  my file.txt\n${hash} *bin/x\n`)]).toEqual([
      ['my file.txt', hash],
      ['bin/x', hash],
    ]);
  });
  test('a line that is not a checksum makes the manifest unreadable', () => {
    expect(() => parseManifest('garbage\n')).toThrow(/line 1/);
  });
});

describe.each(['full', 'size-mtime'] as const)('verifyAgainstManifest (%s)', (depth) => {
  test('an intact directory passes', async () => {
    expect(await verifyAgainstManifest(into, depth, sizes())).toEqual({ files: 3, problems: [] });
  });
  test('a changed, a missing and an extra file are each named', async () => {
    await writeFile(join(into, 'app.js'), 'console.log(2);;\n');
    await rm(join(into, 'lib', 'util.js'));
    await writeFile(join(into, 'lib', 'extra.js'), 'planted');
    const { problems } = await verifyAgainstManifest(into, depth, sizes());
    expect(problems).toEqual(['lib/util.js: missing', 'lib/extra.js: extra (not in SHA256SUMS)', expect.stringMatching(/^app\.js: content changed/)]);
  });
  test('a manifest that cannot be read fails the check', async () => {
    await writeFile(manifestFileOf(into), 'not a manifest\n');
    expect((await verifyAgainstManifest(into, depth, sizes())).problems).toEqual(['SHA256SUMS unreadable: SHA256SUMS line 1 is not "<sha256>  <path>"']);
  });
});

test('full hashes every file: a same-size change with an old mtime is caught; size-mtime, the fast guard, lets it by', async () => {
  await sameSizeBackdated('app.js', 'console.log(2);\n');
  expect((await verifyAgainstManifest(into, 'full')).problems).toEqual(['app.js: content changed (sha256 differs)']);
  expect((await verifyAgainstManifest(into, 'size-mtime', sizes())).problems).toEqual([]);
});

test.each(['full', 'size-mtime'] as const)('%s: a manifest rewritten to match a changed file is refused, and the file is named against the build\'s records', async (depth) => {
  await writeFile(join(into, 'app.js'), 'console.log(666);\n');
  const { stdout } = spawnSync('sha256sum', ['app.js', 'index.html', 'lib/util.js'], { cwd: into, encoding: 'utf8' });
  await writeFile(manifestFileOf(into), stdout);
  // Without the run's record of it, the rewritten manifest would pass.
  expect((await verifyAgainstManifest(into, 'full')).problems).toEqual([]);
  expect((await verifyAgainstManifest(into, depth, { artifacts, manifestSha256 })).problems).toEqual([
    'SHA256SUMS changed since the build (its sha256 is not the one this run recorded)',
    expect.stringMatching(/^app\.js: content changed/),
  ]);
  await rm(manifestFileOf(into));
  expect((await verifyAgainstManifest(into, depth, { artifacts, manifestSha256 })).problems).toEqual([expect.stringMatching(/^SHA256SUMS unreadable: ENOENT/), expect.stringMatching(/^app\.js: content changed/)]);
});

test('the build step compares the manifest read back from disk with the hashes taken while copying', async () => {
  expect((await verifyBuiltArtifacts(into, artifacts)).problems).toEqual([]);
  const [first] = artifacts;
  await writeFile(manifestFileOf(into), `${'0'.repeat(64)}  ${first!.path}\n`);
  expect((await verifyBuiltArtifacts(into, artifacts)).problems).toEqual([
    'index.html: extra (not in SHA256SUMS)',
    'lib/util.js: extra (not in SHA256SUMS)',
    'app.js: SHA256SUMS lists another sha256 than the copy\'s',
    'index.html: not listed in SHA256SUMS',
    'lib/util.js: not listed in SHA256SUMS',
  ]);
});
