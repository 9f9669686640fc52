// What a real run through the bundled entry points says about itself: the validation counts are the same on the
// stage line and in the table, GitHub features are noticed only when they are in use, a commit already released
// keeps its version, and the deployed artifacts directory holds exactly the artifacts (SHA256SUMS lies beside it).
import { execFileSync, spawnSync } from 'node:child_process';
import { access, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startPlatform } from '../support/platform.js';
import { runNode, runnerFiles } from '../support/runner-files.js';
import { fixtureWorkspace, serviceConfig, writeConfig } from '../support/workspace.js';

const exists = (file: string) => access(file).then(() => true, () => false);

async function servedWorkspace(extraYaml = '') {
  const workspace = await fixtureWorkspace();
  const staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
  const production = await startPlatform(join(workspace, 'srv', 'production'), 'production');
  await writeConfig(workspace, serviceConfig({ stagingUrl: staging.url, productionUrl: production.url }) + extraYaml);
  return { workspace, staging, production };
}

describe('a real run reports what really happened', () => {
  test('one wording of the validation counts on the stage line and in the table; a release notice because release defaults to true; SHA256SUMS beside the deployed artifacts', async () => {
    const { workspace, staging, production } = await servedWorkspace();
    await using _s = staging;
    await using _p = production;
    const result = await runNode('dist/cli/index.js', {}, { cwd: workspace, args: ['run', '--version', '1.0.0', '--json'] });
    expect(result.code, result.stderr).toBe(0);
    const log = result.stderr; // with --json the live lines go to stderr

    // serviceConfig: one test run, one review check, two prerequisites (node on PATH, app.mjs).
    const counts = 'test runs 1/1 · review 1/1 · prerequisites 2/2';
    expect(log).toMatch(new RegExp(`^\\[validate\\] passed in \\S+ — ${counts}$`, 'm'));
    expect(log).toMatch(new RegExp(`^Validation\\s+✓ passed\\s+\\S+\\s+${counts}$`, 'm'));
    const report = JSON.parse(result.stdout);
    expect(report.stages.validate.notes).toBe(counts);

    expect(report.notices).toEqual(['GitHub release: skipped (not running in GitHub Actions)']);
    expect(log).not.toMatch(/GitHub (deployments|PR comment|PR approvals)/);

    const { artifactsDir, manifest } = report.stages.build.data;
    expect(manifest).toBe(`${artifactsDir}.SHA256SUMS`);
    expect((await readdir(artifactsDir)).sort()).toEqual(['app.mjs', 'release.json']);
    expect((await readdir(join(workspace, 'srv', 'production', 'current'))).sort()).toEqual(['app.mjs', 'release.json']);
    const check = spawnSync('sha256sum', ['-c', manifest], { cwd: artifactsDir, encoding: 'utf8' });
    expect(check.stdout).toBe('app.mjs: OK\nrelease.json: OK\n');
  });

  test('with release: false and no approvals the CLI notices nothing; the action notices only its own features', async () => {
    const { workspace, staging, production } = await servedWorkspace('finalize:\n  release: false\n');
    await using _s = staging;
    await using _p = production;
    const cli = await runNode('dist/cli/index.js', {}, { cwd: workspace, args: ['run', '--version', '1.0.0', '--environments', 'staging', '--json'] });
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout).notices).toEqual([]);
    expect(cli.stderr).not.toContain('GitHub');

    // The action's own features: deployments always; the PR comment on a pull request unless `comment: off`.
    const noticed = async (event: string, comment: string) => {
      const runner = await runnerFiles(workspace, { version: '1.0.1', environments: 'staging', comment, 'github-token': '' });
      const action = await runNode('dist/index.js', { ...runner.env, GITHUB_EVENT_NAME: event });
      expect(action.code, action.stdout).toBe(0);
      return action.stdout.split('\n').filter((line) => line.startsWith('::notice::')).map((line) => line.replace(/: skipped \(.+\)$/, ''));
    };
    expect(await noticed('pull_request', 'update')).toEqual(['::notice::GitHub deployments', '::notice::GitHub PR comment']);
    expect(await noticed('pull_request', 'off')).toEqual(['::notice::GitHub deployments']);
    expect(await noticed('push', 'update')).toEqual(['::notice::GitHub deployments']);
  });

  test('with HEAD exactly at the last release tag, the plan keeps that version and says why, and finalize does not tag again', async () => {
    const { workspace, staging, production } = await servedWorkspace();
    await using _s = staging;
    await using _p = production;
    const home = await mkdtemp(join(tmpdir(), 'home-'));
    const env = { HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', ...args], { cwd: workspace, encoding: 'utf8', env: { ...process.env, ...env } });
    git('init', '-q', '-b', 'main');
    await writeFile(join(workspace, '.gitignore'), 'srv/\n.meta-deploy/\ndist/\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'feat: first release');
    git('tag', '-a', 'v0.1.1', '-m', 'release 0.1.1');

    const plan = await runNode('dist/cli/index.js', env, { cwd: workspace, args: ['plan'] });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('# version:      0.1.1 (no commits since v0.1.1: the version stays; read from local git)');

    const run = await runNode('dist/cli/index.js', env, { cwd: workspace, args: ['run', '--json'] });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.version).toBe('0.1.1');
    expect(report.stages.finalize.data.tag).toEqual({ name: 'v0.1.1', status: 'skipped', detail: 'already tags this commit' });
    expect(git('tag', '--list').trim().split('\n')).toEqual(['v0.1.1']);
    expect(await production.get('/version')).toEqual({ status: 200, body: '0.1.1' });
    expect(await exists(join(workspace, '.meta-deploy', 'changelog', '0.1.1.md'))).toBe(true);
  });
});
