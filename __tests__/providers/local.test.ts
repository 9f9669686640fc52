import { spawn } from 'node:child_process';
import { lstat, mkdir, readFile, readdir, readlink, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { localProvider } from '../../src/providers/local.js';
import type { ProviderContext } from '../../src/providers/types.js';
import { buildContext, buildEnvironment, createWorkspace, writeFiles } from './provider-context.js';

interface Site {
  workspace: string;
  root: string;
  environment: EnvironmentConfig;
  /** Builds the artifacts of `version` (index.html naming it) and returns a context deploying them. */
  build(version: string, extra?: Record<string, string>): Promise<ProviderContext>;
}

async function createSite(workspace: string, overrides: Partial<EnvironmentConfig> = {}): Promise<Site> {
  const environment = buildEnvironment({ provider: 'local', path: 'srv/app', ...overrides });
  const root = path.join(workspace, 'srv/app');
  return {
    workspace,
    root,
    environment,
    async build(version, extra = {}) {
      const artifactsDir = path.join(workspace, 'artifacts', version);
      await writeFiles(artifactsDir, { 'index.html': `version ${version}\n`, 'assets/app.js': 'run()\n', ...extra });
      return buildContext(workspace, environment, { artifactsDir });
    },
  };
}

async function deploy(site: Site, version: string) {
  const outcome = await localProvider.deploy(await site.build(version), version);
  expect(outcome, outcome.detail).toMatchObject({ ok: true });
  return outcome;
}

const served = (site: Site) => readFile(path.join(site.root, 'current/index.html'), 'utf8');
const releasesOf = async (site: Site) => (await readdir(path.join(site.root, 'releases'))).sort();

describe('local provider: deploy', () => {
  it('copies the artifacts into releases/<version> and points current at it on a first deployment', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir);
    const context = await site.build('1.0.0');

    const before = await localProvider.snapshot(context);
    expect(before.ok).toBe(true);
    expect(before.snapshotId).toBeUndefined();
    const outcome = await localProvider.deploy(context, '1.0.0');

    expect(outcome).toMatchObject({ ok: true, detail: 'current → releases/1.0.0' });
    expect(await readlink(path.join(site.root, 'current'))).toBe(path.join('releases', '1.0.0'));
    expect(await served(site)).toBe('version 1.0.0\n');
    expect(await readFile(path.join(site.root, 'releases/1.0.0/assets/app.js'), 'utf8')).toBe('run()\n');
    expect((await readdir(path.join(site.root, 'releases/1.0.0'))).sort()).toEqual(['assets', 'index.html']);
  });

  it('switches current to the second release and snapshots the first as the rollback target', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir);
    await deploy(site, '1.0.0');
    const context = await site.build('1.1.0');

    const snapshot = await localProvider.snapshot(context);
    const outcome = await localProvider.deploy(context, '1.1.0');

    expect(snapshot).toMatchObject({ ok: true, snapshotId: '1.0.0', version: '1.0.0' });
    expect(outcome.detail).toBe('current → releases/1.1.0 (was releases/1.0.0)');
    expect(await served(site)).toBe('version 1.1.0\n');
    expect(await releasesOf(site)).toEqual(['1.0.0', '1.1.0']);
  });

  it('resolves a workspace-relative path against the workspace, not the process cwd', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir);
    await deploy(site, '1.0.0');
    expect((await lstat(path.join(workspace.dir, 'srv/app/current'))).isSymbolicLink()).toBe(true);
  });

  it('redeploys the running version into <version>+1 without touching the live files', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir);
    await deploy(site, '1.0.0');
    const liveInode = (await stat(path.join(site.root, 'releases/1.0.0/index.html'))).ino;
    const context = await site.build('1.0.0', { 'index.html': 'version 1.0.0 rebuilt\n' });

    const outcome = await localProvider.deploy(context, '1.0.0');

    expect(outcome.detail).toBe('current → releases/1.0.0+1 (was releases/1.0.0)');
    expect(await readFile(path.join(site.root, 'releases/1.0.0/index.html'), 'utf8')).toBe('version 1.0.0\n');
    expect((await stat(path.join(site.root, 'releases/1.0.0/index.html'))).ino).toBe(liveInode);
    expect(await served(site)).toBe('version 1.0.0 rebuilt\n');
    expect(await localProvider.snapshot(context)).toMatchObject({ snapshotId: '1.0.0+1', version: '1.0.0' });
  });

  it('replaces a release directory of the same version that is not the live one', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir);
    await deploy(site, '1.0.0');
    await deploy(site, '1.1.0');
    await writeFile(path.join(site.root, 'releases/1.0.0/stale.txt'), 'left over');

    await deploy(site, '1.0.0');

    expect((await readdir(path.join(site.root, 'releases/1.0.0'))).sort()).toEqual(['assets', 'index.html']);
    expect(await readlink(path.join(site.root, 'current'))).toBe(path.join('releases', '1.0.0'));
  });

  it('keeps the version of a build-metadata release exact in the snapshot', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir);
    const context = await site.build('1.0.0+5');
    await localProvider.deploy(context, '1.0.0+5');

    expect(await localProvider.snapshot(context)).toMatchObject({ snapshotId: '1.0.0+5', version: '1.0.0+5' });
  });

  it('records the deploy order in releases.json', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir);
    await deploy(site, '2.0.0');
    await deploy(site, '1.0.0');

    const ledger = JSON.parse(await readFile(path.join(site.root, 'releases.json'), 'utf8')) as {
      releases: { id: string; version: string }[];
    };
    expect(ledger.releases.map((entry) => entry.id)).toEqual(['2.0.0', '1.0.0']);
    // Nothing else is left in the root: no temp files, no temp links.
    expect((await readdir(site.root)).sort()).toEqual(['current', 'releases', 'releases.json']);
  });

  it('fails without switching current when the artifacts directory is missing', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir);
    await deploy(site, '1.0.0');
    const context = buildContext(workspace.dir, site.environment, { artifactsDir: path.join(workspace.dir, 'nope') });

    const outcome = await localProvider.deploy(context, '1.1.0');

    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toContain('artifacts directory');
    expect(await served(site)).toBe('version 1.0.0\n');
    expect(await releasesOf(site)).toEqual(['1.0.0']);
  });

  it('refuses to replace a current that is a real directory', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir);
    await writeFiles(site.root, { 'current/index.html': 'hand made\n' });

    const outcome = await localProvider.deploy(await site.build('1.0.0'), '1.0.0');

    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toContain('is not a symlink');
    expect(await served(site)).toBe('hand made\n');
  });

  it('fails clearly when the environment has no path', async () => {
    await using workspace = await createWorkspace();
    const context = buildContext(workspace.dir, buildEnvironment({ provider: 'local' }));
    expect(await localProvider.deploy(context, '1.0.0')).toMatchObject({
      ok: false,
      detail: 'environments.production.path is required by the local provider',
    });
  });
});

describe('local provider: pruning', () => {
  it('prunes the oldest deployed releases beyond keep, by deploy order rather than by name', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir, { keep: 3 });
    for (const version of ['3.0.0', '1.0.0', '2.0.0']) await deploy(site, version);

    const outcome = await deploy(site, '4.0.0');

    expect(outcome.detail).toBe('current → releases/4.0.0 (was releases/2.0.0); pruned 3.0.0');
    expect(await releasesOf(site)).toEqual(['1.0.0', '2.0.0', '4.0.0']);
  });

  it('never prunes the live release or the one it replaced, even with keep 1', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir, { keep: 1 });
    await deploy(site, '1.0.0');
    await deploy(site, '1.1.0');
    await deploy(site, '1.2.0');

    expect(await releasesOf(site)).toEqual(['1.1.0', '1.2.0']);
  });

  it('keeps the rollback target when it is the oldest release after a rollback', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir, { keep: 2 });
    await deploy(site, '1.0.0');
    await deploy(site, '2.0.0');
    expect((await localProvider.rollback(await site.build('2.0.0'), '1.0.0')).ok).toBe(true);

    await deploy(site, '3.0.0');

    expect(await releasesOf(site)).toEqual(['1.0.0', '3.0.0']);
    expect((await localProvider.rollback(await site.build('3.0.0'), '1.0.0')).ok).toBe(true);
  });
});

describe('local provider: rollback', () => {
  it('points current back at the first release', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir);
    await deploy(site, '1.0.0');
    await deploy(site, '1.1.0');

    const outcome = await localProvider.rollback(await site.build('1.1.0'), '1.0.0');

    expect(outcome).toMatchObject({ ok: true, detail: 'current → releases/1.0.0 (was releases/1.1.0)' });
    expect(await readlink(path.join(site.root, 'current'))).toBe(path.join('releases', '1.0.0'));
    expect(await served(site)).toBe('version 1.0.0\n');
  });

  it('fails with a message naming the release and the ones available when the target was pruned', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir, { keep: 2 });
    for (const version of ['1.0.0', '2.0.0', '3.0.0']) await deploy(site, version);

    const outcome = await localProvider.rollback(await site.build('3.0.0'), '1.0.0');

    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toBe(
      `environments.production (local): release 1.0.0 not found in ${path.join(site.root, 'releases')} ` +
        '(pruned, or never deployed here; available: 2.0.0, 3.0.0)',
    );
    expect(await served(site)).toBe('version 3.0.0\n');
  });

  it('rejects a snapshot id that would leave the releases directory', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir);
    await deploy(site, '1.0.0');
    await mkdir(path.join(site.root, 'outside'));

    const outcome = await localProvider.rollback(await site.build('1.0.0'), '../outside');

    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toContain('is not a release name');
    expect(await readlink(path.join(site.root, 'current'))).toBe(path.join('releases', '1.0.0'));
  });

  it('keeps current a valid symlink for a concurrent reader during 50 switches', async () => {
    await using workspace = await createWorkspace();
    const site = await createSite(workspace.dir);
    await deploy(site, '1.0.0');
    await deploy(site, '2.0.0');
    const context = await site.build('2.0.0');
    const stopFile = path.join(workspace.dir, 'stop');
    // A separate process reads through `current` as fast as it can: it sees every intermediate state of the link.
    const readerSource = `
      const fs = require('node:fs');
      const [file, stop] = process.argv.slice(1);
      let reads = 0, failures = 0, lastError = '';
      process.stdout.write('ready\\n');
      while (!fs.existsSync(stop)) {
        try { fs.readFileSync(file, 'utf8'); reads++; } catch (e) { failures++; lastError = e.code; }
      }
      process.stdout.write(JSON.stringify({ reads, failures, lastError }));
    `;
    const reader = spawn(process.execPath, ['-e', readerSource, path.join(site.root, 'current/index.html'), stopFile]);
    let output = '';
    reader.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<void>((resolve) => reader.on('close', () => resolve()));
    await new Promise<void>((resolve) => reader.stdout.once('data', () => resolve()));

    for (let i = 0; i < 50; i += 1) {
      const outcome = await localProvider.rollback(context, i % 2 === 0 ? '1.0.0' : '2.0.0');
      expect(outcome.ok).toBe(true);
    }
    await writeFile(stopFile, '');
    await exited;

    const result = JSON.parse(output.replace(/^ready\n/, '')) as { reads: number; failures: number; lastError: string };
    expect(result.failures, `reader failed with ${result.lastError}`).toBe(0);
    expect(result.reads).toBeGreaterThan(0);
    expect(await served(site)).toBe('version 2.0.0\n');
  });

  it('describes itself', () => {
    const environment = buildEnvironment({ provider: 'local', path: '/srv/app' });
    expect(localProvider.describe(environment)).toBe('local: releases + atomic current symlink in /srv/app');
  });
});
