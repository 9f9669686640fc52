// The state directory through the bundled CLI (dist/cli/index.js): concurrent runs wait for each other and lose nothing,
// a run that cannot get the lock says so without blaming a stage, a SIGKILLed run is rolled back and recorded by the
// next one, rollbacks of staging work and `--to` is checked, artifacts never include the state dir and the store is
// pruned, history reads past a torn line, and a read-only state dir stops a run before any command.
import { spawn } from 'node:child_process';
import { access, appendFile, chmod, mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runNode, type ProcessResult } from '../support/runner-files.js';
import { writeConfig } from '../support/workspace.js';

const groupAlive = (pgid: number) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};
const exists = (file: string) => access(file).then(() => true, () => false);
const read = (file: string) => readFile(file, 'utf8').then((text) => text.trim());

function cli(workspace: string, args: string[], onStart?: (pid: number) => void): Promise<ProcessResult> {
  return runNode('dist/cli/index.js', {}, { cwd: workspace, args, onStart });
}

interface Options {
  /** Production deploy command (default: record enter/leave around a short sleep, then switch). */
  deploy?: string;
  build?: string;
}

/** A command-provider config whose environments are files in the workspace: `<env>.live` holds the live version. */
function commandConfig(options: Options = {}): string {
  const deploy =
    options.deploy ??
    'echo "enter $META_DEPLOY_VERSION" >> deploys.log; sleep 0.05; echo "$META_DEPLOY_VERSION" > production.live; echo "leave $META_DEPLOY_VERSION" >> deploys.log';
  return `version: 1
targets:
  web: {}
lock-timeout: 5m
validate:
  tests:
    - { name: unit, run: "touch tests-ran" }
${options.build ?? ''}
environments:
  staging:
    deploy: 'echo "$META_DEPLOY_VERSION" > staging.live'
    rollback: 'echo "$META_DEPLOY_SNAPSHOT_ID" > staging.live'
    smoke: { timeout: 5s, interval: 100ms, checks: [{ name: live, run: "test -s staging.live" }] }
  production:
    deploy: ${JSON.stringify(deploy)}
    rollback: 'echo "rollback $META_DEPLOY_SNAPSHOT_ID" >> deploys.log; echo "$META_DEPLOY_SNAPSHOT_ID" > production.live'
    health: { timeout: 5s, interval: 100ms, checks: [{ name: live, run: "test -s production.live" }] }
`;
}

async function workspaceWith(config: string): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'meta-deploy-state-'));
  await writeConfig(workspace, config);
  return workspace;
}

/** The pid a hanging command wrote to `file` (once it is there and complete). */
async function hungPid(file: string): Promise<number> {
  for (;;) {
    const pid = Number(await read(file).catch(() => ''));
    if (pid > 0) return pid;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function records(workspace: string): Promise<{ id: string; version: string; result: string; reason?: string; kind?: string; deployedTo: string[] }[]> {
  const text = await readFile(join(workspace, '.meta-deploy', 'records.jsonl'), 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

describe('lock', () => {
  test('24 runs of one version started at once on one state dir deploy one after the other; all 24 are recorded and reported', async () => {
    const workspace = await workspaceWith(commandConfig());
    // The same version each time: several runs start within one second, and none may overwrite another's files.
    const results = await Promise.all(Array.from({ length: 24 }, () => cli(workspace, ['run', '--version', '1.0.0', '--environments', 'production'])));
    results.forEach((result) => expect(result.code, result.stdout + result.stderr).toBe(0));
    expect(results.some((result) => /waiting up to 5m 00s \(lock-timeout\) for the deploy lock, held by pid \d+, run web-1\.0\.0-/.test(result.stdout))).toBe(true);

    // Never two deploys at once: enter/leave pairs strictly alternate.
    const log = (await read(join(workspace, 'deploys.log'))).split('\n');
    expect(log).toEqual(Array.from({ length: 24 }, () => ['enter 1.0.0', 'leave 1.0.0']).flat());
    // Nothing lost: 24 records with distinct ids, 24 reports, 24 production snapshots.
    const recorded = await records(workspace);
    expect(recorded).toHaveLength(24);
    expect(new Set(recorded.map((record) => record.id)).size).toBe(24);
    expect(await readdir(join(workspace, '.meta-deploy', 'reports'))).toHaveLength(24);
    expect((await readdir(join(workspace, '.meta-deploy', 'snapshots'))).filter((name) => name.endsWith('-production.json'))).toHaveLength(24);
    expect(await readdir(join(workspace, '.meta-deploy'))).not.toContain('deploy.lock');
  }, 180_000);

  test('a run that cannot get the lock within --lock-timeout fails saying it never started, blaming no stage', async () => {
    const workspace = await workspaceWith(commandConfig({ deploy: 'touch deploying; sleep 4; echo "$META_DEPLOY_VERSION" > production.live' }));
    const first = cli(workspace, ['run', '--version', '1.0.0', '--environments', 'production']);
    while (!(await exists(join(workspace, 'deploying')))) await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await cli(workspace, ['run', '--version', '1.1.0', '--environments', 'production', '--lock-timeout', '1s', '--json']);
    expect(second.code).toBe(1);
    const report = JSON.parse(second.stdout);
    expect(report.result).toBe('failed');
    expect(report.failedStage).toBeUndefined();
    expect(report.reason).toMatch(/^not started: another deployment holds .*deploy\.lock \(pid \d+, run web-1\.0\.0-.*, target web, since .*\); waited 1s \(lock-timeout 1s\)$/);
    expect(report.stages.validate.notes).toBe('not run: the run never started');
    expect(second.stderr).toContain('Reason: not started: another deployment holds');
    expect(second.stderr).not.toMatch(/Reason \(/); // no stage named as the cause
    expect((await first).code).toBe(0);
    expect((await records(workspace)).map((record) => record.version)).toEqual(['1.0.0']);
  }, 60_000);
});

describe('a run killed with SIGKILL', () => {
  test('the next run rolls production back to the snapshot first, records the killed run, says so, then deploys', async () => {
    const deploy = 'echo "$META_DEPLOY_VERSION" > production.live; echo "enter $META_DEPLOY_VERSION" >> deploys.log; if [ "$META_DEPLOY_VERSION" = 2.0.0 ]; then echo $$ > hung.pid; sleep 60; fi';
    const workspace = await workspaceWith(commandConfig({ deploy }));
    expect((await cli(workspace, ['run', '--version', '1.0.0'])).code).toBe(0);

    let pid = 0;
    const killed = cli(workspace, ['run', '--version', '2.0.0'], (started) => (pid = started));
    const hung = await hungPid(join(workspace, 'hung.pid'));
    process.kill(-pid, 'SIGKILL'); // the whole process group of the CLI, no chance to clean up
    expect((await killed).signal).toBe('SIGKILL');
    // The deploy command runs in its own process group and outlives the CLI: the journal names that group.
    expect(groupAlive(hung)).toBe(true);
    expect(await read(join(workspace, 'production.live'))).toBe('2.0.0'); // unverified, left by the killed run
    expect(await exists(join(workspace, '.meta-deploy', 'run-journal.json'))).toBe(true);

    const next = await cli(workspace, ['run', '--version', '2.1.0']);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(groupAlive(hung)).toBe(false); // ended by the next run before it rolled production back
    expect(next.stdout).toMatch(/recovered a run that was killed during the production deploy of 2\.0\.0 \(pid \d+, since .*\); production rolled back to 1\.0\.0/);
    // Production went back to 1.0.0 before the new run deployed anything.
    expect((await read(join(workspace, 'deploys.log'))).split('\n')).toEqual(['enter 1.0.0', 'enter 2.0.0', 'rollback 1.0.0', 'enter 2.1.0']);
    expect(await read(join(workspace, 'production.live'))).toBe('2.1.0');
    expect(await exists(join(workspace, '.meta-deploy', 'run-journal.json'))).toBe(false);

    const history = (await cli(workspace, ['history'])).stdout.trim().split('\n');
    expect(history).toHaveLength(3);
    expect(history[1]).toMatch(/web {2}2\.0\.0\s+rolled-back .* staging {2}killed during the production deploy of 2\.0\.0 .*; production rolled back to 1\.0\.0/);
    expect(history[2]).toMatch(/2\.1\.0\s+success/);
  }, 90_000);
  test('killed before production changed (during the staging deploy): the next run records it as failed, production untouched', async () => {
    const workspace = await workspaceWith(commandConfig());
    expect((await cli(workspace, ['run', '--version', '1.0.0'])).code).toBe(0);
    // The staging deploy of 2.0.0 hangs: the config is swapped for one whose staging deploy waits to be killed.
    const config = join(workspace, '.github', 'meta-deploy.yml');
    const original = await readFile(config, 'utf8');
    await writeFile(config, original.replace(`deploy: 'echo "$META_DEPLOY_VERSION" > staging.live'`, () => `deploy: 'echo $$ > hung.pid; sleep 60'`));
    let pid = 0;
    const killed = cli(workspace, ['run', '--version', '2.0.0'], (started) => (pid = started));
    const hung = await hungPid(join(workspace, 'hung.pid'));
    process.kill(-pid, 'SIGKILL');
    expect((await killed).signal).toBe('SIGKILL');
    process.kill(-hung, 'SIGKILL');
    await writeFile(config, original);

    const next = await cli(workspace, ['run', '--version', '2.1.0']);
    expect(next.code, next.stdout + next.stderr).toBe(0);
    expect(groupAlive(hung)).toBe(false); // ended by the next run before it rolled production back
    expect(next.stdout).toMatch(/recovered a run that was killed during staging \(pid \d+\); production unchanged/);
    expect(await read(join(workspace, 'deploys.log'))).not.toContain('rollback');
    const recorded = await records(workspace);
    expect(recorded.map((record) => [record.version, record.result, record.deployedTo])).toEqual([
      ['1.0.0', 'success', ['staging', 'production']],
      ['2.0.0', 'failed', []],
      ['2.1.0', 'success', ['staging', 'production']],
    ]);
  }, 90_000);
});

describe('rollback', () => {
  test('--environment staging without --to restores the staging snapshot the last run persisted', async () => {
    const workspace = await workspaceWith(commandConfig());
    expect((await cli(workspace, ['run', '--version', '1.0.0'])).code).toBe(0);
    expect((await cli(workspace, ['run', '--version', '1.1.0'])).code).toBe(0);
    expect(await read(join(workspace, 'staging.live'))).toBe('1.1.0');
    const rollback = await cli(workspace, ['rollback', '--environment', 'staging']);
    expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
    expect(await read(join(workspace, 'staging.live'))).toBe('1.0.0');
    expect(await read(join(workspace, 'production.live'))).toBe('1.1.0');
  }, 60_000);

  test.each([['$(touch x)'], ['`touch x`'], ['--help'], ['a b'], ['1.0.0\ntouch x'], ['../../etc/passwd']])(
    '--to %j (not a recorded snapshot, not a plain id) is a usage error that runs and records nothing',
    async (to) => {
      const workspace = await workspaceWith(commandConfig());
      expect((await cli(workspace, ['run', '--version', '1.0.0'])).code).toBe(0);
      const before = await readFile(join(workspace, '.meta-deploy', 'records.jsonl'), 'utf8');
      const result = await cli(workspace, ['rollback', '--environment', 'production', `--to=${to}`]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`snapshot id ${JSON.stringify(to)} is neither a snapshot recorded for web/production nor a plain id`);
      expect(await exists(join(workspace, 'x'))).toBe(false);
      expect(await readFile(join(workspace, 'deploys.log'), 'utf8')).not.toContain('rollback');
      expect(await readFile(join(workspace, '.meta-deploy', 'records.jsonl'), 'utf8')).toBe(before);
    },
    30_000,
  );
});

describe('artifacts', () => {
  test('globs never pick up the state dir, and the store keeps the last `keep` builds plus the ones production needs', async () => {
    const build = `build:
  run: 'mkdir -p out && echo "{\\"v\\": \\"$META_DEPLOY_VERSION\\"}" > out/app.json'
  artifacts: ["**/*.json"]
  keep: 2`;
    // 1.2–1.4 fail to deploy and are rolled back: production keeps running 1.1.0, its snapshot is 1.0.0.
    const deploy = 'case "$META_DEPLOY_VERSION" in 1.[234].*) exit 1;; esac; echo "$META_DEPLOY_VERSION" > production.live';
    const workspace = await workspaceWith(commandConfig({ build, deploy }));
    const idOf: Record<string, string> = {};
    for (const version of ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0']) {
      const result = await cli(workspace, ['run', '--version', version, '--environments', 'production', '--json']);
      const report = JSON.parse(result.stdout);
      expect(result.code, result.stderr).toBe(version < '1.2.0' ? 0 : 1);
      // Only out/app.json: never the reports, snapshots or stored artifacts of earlier runs.
      expect(report.stages.build.data.artifacts.map((artifact: { path: string }) => artifact.path)).toEqual(['app.json']);
      idOf[version] = report.id;
    }
    const stored = (await readdir(join(workspace, '.meta-deploy', 'artifacts'))).sort();
    // Each kept build with its manifest, report and (a failed run) debug details beside it; a pruned build's go with it.
    const kept = ['1.0.0', '1.1.0', '1.3.0', '1.4.0'].map((version) => ({ id: idOf[version]!, failed: version >= '1.2.0' }));
    expect(stored).toEqual(kept.flatMap(({ id, failed }) => [id, `${id}.SHA256SUMS`, `${id}.report.json`, ...(failed ? [`${id}.debug.md`] : [])]).sort());
    expect(await read(join(workspace, 'production.live'))).toBe('1.1.0');
  }, 90_000);
});

describe('records', () => {
  test('history reads past a torn last line left by a crash, and the next run is recorded on its own line', async () => {
    const workspace = await workspaceWith(commandConfig());
    expect((await cli(workspace, ['run', '--version', '1.0.0', '--environments', 'production'])).code).toBe(0);
    await appendFile(join(workspace, '.meta-deploy', 'records.jsonl'), '{"id":"web-1.1.0-2026","target":"we');
    const history = await cli(workspace, ['history']);
    expect(history.code).toBe(0);
    expect(history.stdout.trim().split('\n')).toHaveLength(1);
    expect(history.stdout).toMatch(/1\.0\.0\s+success/);
    expect((await cli(workspace, ['run', '--version', '1.2.0', '--environments', 'production'])).code).toBe(0);
    const after = (await cli(workspace, ['history'])).stdout.trim().split('\n');
    expect(after).toHaveLength(2);
    expect(after[1]).toMatch(/1\.2\.0\s+success/);
  }, 60_000);

  test('a read-only state dir stops the run with a clear message before any command runs', async () => {
    const workspace = await workspaceWith(commandConfig());
    const stateDir = join(workspace, '.meta-deploy');
    await mkdir(stateDir);
    await chmod(stateDir, 0o555);
    // root writes anywhere: run the CLI as nobody, in a workspace nobody may otherwise write to.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) await chmod(workspace, 0o777);
    const command = asRoot ? 'setpriv' : process.execPath;
    const args = [...(asRoot ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : []), join(ROOT, 'dist', 'cli', 'index.js'), 'run', '--version', '1.0.0'];
    const child = spawn(command, args, { cwd: workspace, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code, output).toBe(1);
    expect(output).toContain(`Reason: not started: cannot write in state directory ${stateDir}: EACCES`);
    expect(await exists(join(workspace, 'tests-ran'))).toBe(false);
    expect(await exists(join(workspace, 'staging.live'))).toBe(false);
  }, 30_000);

  test('a state dir with no room to write (ulimit -f 0) stops the run with a clear message before any command runs', async () => {
    const workspace = await workspaceWith(commandConfig());
    const script = `ulimit -f 0; exec ${process.execPath} ${join(ROOT, 'dist', 'cli', 'index.js')} run --version 1.0.0`;
    const child = spawn('bash', ['-c', script], { cwd: workspace, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code, output).toBe(1);
    expect(output).toContain(`Reason: not started: cannot write in state directory ${join(workspace, '.meta-deploy')}: EFBIG`);
    expect(await exists(join(workspace, 'tests-ran'))).toBe(false);
    expect(await readdir(join(workspace, '.meta-deploy'))).toEqual([]);
  }, 30_000);
});
