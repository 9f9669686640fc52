// The bundled CLI (dist/cli/index.js) as a user runs it: bad configs and hostile inputs are usage errors (exit 2)
// that run nothing; plan, validate, history and rollback work on a real workspace.
import { execFileSync, spawn } from 'node:child_process';
import { access, chmod, readdir, readFile, writeFile, mkdtemp, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startPlatform } from '../support/platform.js';
import { ROOT, runNode } from '../support/runner-files.js';
import { fixtureWorkspace, serviceConfig, writeConfig } from '../support/workspace.js';

const CORPUS = join(ROOT, '__tests__', 'fixtures', 'broken-configs');
const exists = (file: string) => access(file).then(() => true, () => false);

function cli(workspace: string, ...args: string[]) {
  return runNode('dist/cli/index.js', {}, { cwd: workspace, args });
}

describe('cli: bad input runs nothing', async () => {
  const files = (await readdir(CORPUS)).filter((name) => name.endsWith('.yml'));
  const expected = JSON.parse(await readFile(join(CORPUS, 'expected.json'), 'utf8')) as Record<string, { line: number; column: number }>;

  test('the corpus holds at least 15 broken configs', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  test.each(files)('%s: exit 2 with file:line:column, and its marker command never runs', async (name) => {
    const workspace = await mkdtemp(join(tmpdir(), 'broken-'));
    await cp(join(CORPUS, name), join(workspace, 'meta-deploy.yml'));
    const result = await cli(workspace, 'run', '--config', 'meta-deploy.yml', '--version', '1.0.0');
    expect(result.code).toBe(2);
    const { line, column } = expected[name]!;
    expect(result.stderr).toContain(`meta-deploy.yml:${line}:${column}:`);
    expect(await exists(join(workspace, 'MARKER_RAN'))).toBe(false);
  });

  test.each([
    ['$(touch PWNED)'],
    ['`touch PWNED`'],
    ['web; touch PWNED'],
    ['web\ntouch PWNED'],
    ['"; touch PWNED; "'],
    ["' ; touch PWNED ; '"],
  ])('a hostile target %j is a quoted usage error and executes nothing', async (target) => {
    const workspace = await fixtureWorkspace();
    await writeConfig(workspace, serviceConfig({ stagingUrl: 'http://127.0.0.1:9', productionUrl: 'http://127.0.0.1:9' }));
    const result = await cli(workspace, 'run', '--target', target, '--version', '1.0.0');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(JSON.stringify(target));
    expect(await exists(join(workspace, 'PWNED'))).toBe(false);
    expect(await exists(join(workspace, 'dist'))).toBe(false); // the build never ran
  });

  test.each([['$(touch PWNED)'], ['1.0.0; touch PWNED'], ['`touch PWNED`'], ['1.0.0\ntouch PWNED'], ['1.0.0"']])(
    'a hostile version %j is a quoted usage error and executes nothing',
    async (version) => {
      const workspace = await fixtureWorkspace();
      await writeConfig(workspace, serviceConfig({ stagingUrl: 'http://127.0.0.1:9', productionUrl: 'http://127.0.0.1:9' }));
      const result = await cli(workspace, 'run', '--version', version);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('is not a semantic version');
      expect(await exists(join(workspace, 'PWNED'))).toBe(false);
      expect(await exists(join(workspace, 'dist'))).toBe(false);
    },
  );

  test('an unknown command is a usage error', async () => {
    const result = await cli(ROOT, 'deploy-everything');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "deploy-everything"');
  });
});

describe('cli: commands on a real workspace', () => {
  test('plan prints the orchestration, validate accepts the config, run then history and rollback restore the snapshot', async () => {
    const workspace = await fixtureWorkspace();
    await using staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
    await using production = await startPlatform(join(workspace, 'srv', 'production'), 'production');
    await writeConfig(workspace, serviceConfig({ stagingUrl: staging.url, productionUrl: production.url }));

    const plan = await cli(workspace, 'plan', '--version', '2.0.0');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('@orchestration');
    expect(plan.stdout).toContain('@parallel[');
    expect(plan.stdout).toContain('◆ production:healthy');
    expect(await exists(join(workspace, 'dist'))).toBe(false); // planning runs nothing

    expect((await cli(workspace, 'validate')).code).toBe(0);

    const first = await cli(workspace, 'run', '--version', '1.0.0');
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain('[validate]');
    const second = await cli(workspace, 'run', '--version', '1.1.0');
    expect(second.code).toBe(0);
    expect(await production.get('/version')).toEqual({ status: 200, body: '1.1.0' });

    const history = await cli(workspace, 'history');
    expect(history.stdout.trim().split('\n')).toHaveLength(2);
    expect(history.stdout).toMatch(/1\.1\.0\s+success/);

    const rollback = await cli(workspace, 'rollback', '--environment', 'production');
    expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
    expect(await production.get('/version')).toEqual({ status: 200, body: '1.0.0' });
    // The rollback is recorded, so history and the next run know production runs 1.0.0 again.
    const after = (await cli(workspace, 'history')).stdout.trim().split('\n');
    expect(after).toHaveLength(3);
    expect(after[2]).toMatch(/↩ 1\.0\.0\s+rolled-back/);
  });

  test('run --json prints the JSON report on stdout', async () => {
    const workspace = await fixtureWorkspace();
    await using staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
    await using production = await startPlatform(join(workspace, 'srv', 'production'), 'production');
    await writeConfig(workspace, serviceConfig({ stagingUrl: staging.url, productionUrl: production.url }));
    await writeFile(join(workspace, 'unused'), '');
    const result = await cli(workspace, 'run', '--version', '3.0.0', '--environments', 'staging', '--json');
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ schemaVersion: 1, result: 'success', version: '3.0.0', environments: ['staging'] });
    expect(report.stages.production.status).toBe('skipped');
  });

  test('computes the version from conventional commits, tags the release and pushes the tag to origin, with no git identity configured', async () => {
    const workspace = await fixtureWorkspace();
    await using staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
    await using production = await startPlatform(join(workspace, 'srv', 'production'), 'production');
    await writeConfig(workspace, serviceConfig({ stagingUrl: staging.url, productionUrl: production.url }));
    const home = await mkdtemp(join(tmpdir(), 'home-'));
    const origin = await mkdtemp(join(tmpdir(), 'origin-'));
    const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', ...args], { cwd, encoding: 'utf8', env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1' } });
    git(origin, 'init', '-q', '--bare');
    git(workspace, 'init', '-q', '-b', 'main');
    await writeFile(join(workspace, '.gitignore'), 'srv/\n.meta-deploy/\ndist/\n');
    git(workspace, 'add', '-A');
    git(workspace, 'commit', '-q', '-m', 'feat: first release');
    git(workspace, 'remote', 'add', 'origin', origin);
    const env = { HOME: home, GIT_CONFIG_NOSYSTEM: '1' };

    const first = await runNode('dist/cli/index.js', env, { cwd: workspace, args: ['run'] });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    git(workspace, 'commit', '-q', '--allow-empty', '-m', 'fix: handle empty carts');
    const second = await runNode('dist/cli/index.js', env, { cwd: workspace, args: ['run', '--json'] });
    expect(second.code, second.stderr).toBe(0);
    const report = JSON.parse(second.stdout);

    expect(report.version).toBe('0.1.1');
    expect(report.previousVersion).toBe('0.1.0');
    expect(report.stages.finalize.data.tag).toMatchObject({ name: 'v0.1.1', status: 'passed', detail: 'tagged and pushed to origin' });
    expect(git(origin, 'tag', '--list').trim().split('\n')).toEqual(['v0.1.0', 'v0.1.1']);
    expect(git(workspace, 'for-each-ref', '--format=%(taggername)', 'refs/tags/v0.1.1').trim()).toBe('meta-deploy');
    const changelog = await readFile(report.stages.finalize.data.changelog.file, 'utf8');
    expect(changelog).toContain('### Fixes');
    expect(changelog).toContain('- fix: handle empty carts');
    expect(changelog).not.toContain('first release');
    expect(await production.get('/version')).toEqual({ status: 200, body: '0.1.1' });
  });

  test('when the automatic rollback fails, the report gives a command that rolls back by hand from any directory', async () => {
    const workspace = await mkdtemp(join(tmpdir(), 'manual-rollback-'));
    const script = async (name: string, body: string) => {
      await writeFile(join(workspace, name), `#!/usr/bin/env bash\nset -eo pipefail\n${body}\n`);
      await chmod(join(workspace, name), 0o755);
    };
    await script('deploy.sh', 'echo "$META_DEPLOY_VERSION" > current');
    await script('rollback.sh', 'if [ ! -f allow-rollback ]; then echo "rollback refused" >&2; exit 1; fi\necho "$META_DEPLOY_SNAPSHOT_ID" > current');
    await script('snapshot.sh', 'cat current 2>/dev/null || true');
    await writeFile(
      join(workspace, 'deploy.yml'),
      `version: 1
environments:
  production:
    deploy: ./deploy.sh
    rollback: ./rollback.sh
    snapshot: ./snapshot.sh
    health: { timeout: 300ms, interval: 100ms, checks: [{ name: Not the broken release, run: 'test "$(cat current)" != 2.0.0' }] }
finalize: { changelog: false }
`,
    );
    expect((await cli(workspace, 'run', '--config', 'deploy.yml', '--version', '1.0.0')).code).toBe(0);

    const failed = await cli(workspace, 'run', '--config', 'deploy.yml', '--version', '2.0.0', '--json');
    expect(failed.code).toBe(1);
    const report = JSON.parse(failed.stdout);
    expect(report.result).toBe('failed');
    expect(report.stages.production.data.rollback).toMatchObject({ status: 'failed' });
    expect(await readFile(join(workspace, 'current'), 'utf8')).toBe('2.0.0\n');
    const command: string = report.manualRollback;
    expect(command).toContain(' rollback --workspace ');

    await writeFile(join(workspace, 'allow-rollback'), '');
    const byHand = await new Promise<number | null>((resolve) => {
      const child = spawn('bash', ['-c', command], { cwd: tmpdir(), stdio: 'ignore' });
      child.on('exit', resolve);
    });
    expect(byHand).toBe(0);
    expect(await readFile(join(workspace, 'current'), 'utf8')).toBe('1.0.0\n');
  });
});
