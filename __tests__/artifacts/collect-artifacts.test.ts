import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  MANIFEST_NAME,
  collectArtifacts,
  commonDirectory,
  manifestFileOf,
  matchArtifacts,
  writeManifest,
} from '../../src/artifacts/collect-artifacts.js';

let root: string;
let workspace: string;
let into: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'meta-deploy-artifacts-'));
  workspace = join(root, 'workspace');
  into = join(root, 'out', 'artifacts');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function files(tree: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(tree)) {
    await mkdir(dirname(join(workspace, path)), { recursive: true });
    await writeFile(join(workspace, path), content);
  }
}
const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

/** `sha256sum -c` run inside the artifacts directory, on the manifest beside it. */
function sha256sumCheck(cwd: string, manifest = manifestFileOf(cwd)): { status: number | null; output: string } {
  const run = spawnSync('sha256sum', ['-c', manifest], { cwd, encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

const TREE = {
  'dist/index.html': '<h1>hello</h1>\n',
  'dist/app.js': 'console.log("app");\n',
  'dist/app.js.map': '{"version":3}',
  'dist/lib/util.js': 'export const x = 1;\n',
  'dist/lib/util.js.map': '{"version":3}',
  'dist/assets/logo.bin': Buffer.from([0, 1, 2, 255, 254, 10, 13]),
  'dist/my file.txt': 'a name with a space\n',
  'src/app.ts': 'source, not an artifact',
  'README.md': '# readme',
};

describe('matching', () => {
  test('globs with `!` exclusions keep the matches and drop the excluded files, sorted', async () => {
    await files(TREE);
    expect(await matchArtifacts(workspace, ['dist/**', '!dist/**/*.map'])).toEqual([
      'dist/app.js',
      'dist/assets/logo.bin',
      'dist/index.html',
      'dist/lib/util.js',
      'dist/my file.txt',
    ]);
  });

  test('dot files are matched (so a stray .env can be caught by the secrets scan)', async () => {
    await files({ 'dist/app.js': 'x', 'dist/.env': 'TOKEN=1' });
    expect(await matchArtifacts(workspace, ['dist/**'])).toEqual(['dist/.env', 'dist/app.js']);
  });

  test('a pattern matching nothing gives no artifacts', async () => {
    await files(TREE);
    expect(await matchArtifacts(workspace, ['build/**'])).toEqual([]);
  });
});

describe('commonDirectory', () => {
  test.each([
    [['dist/a.js', 'dist/lib/b.js'], 'dist'],
    [['dist/x/a.js', 'dist/x/y/b.js'], 'dist/x'],
    [['dist/a.js'], 'dist'],
    [['dist/a.js', 'out/b.js'], ''],
    [['a.js', 'dist/b.js'], ''],
    [['distro/a.js', 'dist/b.js'], ''],
    [[], ''],
  ])('%j → %j', (paths, expected) => {
    expect(commonDirectory(paths)).toBe(expected);
  });
});

describe('collecting', () => {
  test('copies the matches under their common base (dist/** → paths without dist/), with size and sha256 of the source', async () => {
    await files(TREE);
    const matched = await matchArtifacts(workspace, ['dist/**', '!dist/**/*.map']);
    const { artifacts } = await collectArtifacts(workspace, matched, into);
    expect(artifacts.map((artifact) => artifact.path)).toEqual(['app.js', 'assets/logo.bin', 'index.html', 'lib/util.js', 'my file.txt']);
    for (const artifact of artifacts) {
      const source = await readFile(join(workspace, 'dist', artifact.path));
      expect(artifact.size, artifact.path).toBe(source.length);
      expect(artifact.sha256, artifact.path).toBe(sha256(source));
      expect(await readFile(join(into, artifact.path))).toEqual(source);
    }
  });

  test('the artifacts directory holds exactly the matched files: it is emptied first', async () => {
    await files(TREE);
    await mkdir(join(into, 'old'), { recursive: true });
    await writeFile(join(into, 'old', 'stale.js'), 'from a previous run');
    await collectArtifacts(workspace, ['dist/app.js', 'dist/index.html'], into);
    expect((await readdir(into, { recursive: true })).sort()).toEqual(['app.js', 'index.html']);
  });

  test('paths with no common base are kept as they are', async () => {
    await files(TREE);
    const { artifacts } = await collectArtifacts(workspace, ['README.md', 'dist/app.js'], into);
    expect(artifacts.map((artifact) => artifact.path)).toEqual(['README.md', 'dist/app.js']);
  });

  test('the copy keeps the permission bits, and the hashing record counts files, bytes and workers', async () => {
    await files({ 'dist/run.sh': '#!/bin/sh\necho hi\n', 'dist/data.txt': 'x'.repeat(1000) });
    await chmod(join(workspace, 'dist', 'run.sh'), 0o755);
    const { hashing } = await collectArtifacts(workspace, ['dist/data.txt', 'dist/run.sh'], into);
    expect((await stat(join(into, 'run.sh'))).mode & 0o777).toBe(0o755);
    expect(hashing).toMatchObject({ files: 2, bytes: 1000 + '#!/bin/sh\necho hi\n'.length });
    expect(hashing.workers).toBeGreaterThanOrEqual(1);
  });

  test('an empty file has size 0 and the sha256 of nothing', async () => {
    await files({ 'dist/empty.txt': '' });
    const {
      artifacts: [artifact],
    } = await collectArtifacts(workspace, ['dist/empty.txt'], into);
    expect(artifact).toEqual({ path: 'empty.txt', size: 0, sha256: sha256('') });
  });
});

describe('SHA256SUMS', () => {
  test('the manifest lies beside the artifacts directory, which holds only the artifacts, and the real `sha256sum -c` accepts it', async () => {
    await files(TREE);
    const { artifacts } = await collectArtifacts(workspace, await matchArtifacts(workspace, ['dist/**', '!dist/**/*.map']), into);
    const { file: manifest } = await writeManifest(into, artifacts);
    expect(manifest).toBe(`${into}.${MANIFEST_NAME}`);
    expect((await readdir(into, { recursive: true })).filter((name) => name.endsWith(MANIFEST_NAME))).toEqual([]);
    const check = sha256sumCheck(into);
    expect(check.status, check.output).toBe(0);
    expect(check.output.trim().split('\n')).toHaveLength(artifacts.length);
  });

  test('`sha256sum -c` rejects the manifest once a copied file is modified', async () => {
    await files(TREE);
    const { artifacts } = await collectArtifacts(workspace, ['dist/app.js', 'dist/index.html'], into);
    await writeManifest(into, artifacts);
    const copy = join(root, 'copy');
    await cp(into, copy, { recursive: true });
    await writeFile(join(copy, 'app.js'), 'console.log("tampered");\n');
    const check = sha256sumCheck(copy, manifestFileOf(into));
    expect(check.status).not.toBe(0);
    expect(check.output).toContain('app.js: FAILED');
    expect(sha256sumCheck(into).status).toBe(0);
  });
});
