// Interruptions and output, through the bundled entry points: a closed output pipe, SIGINT/SIGHUP/SIGQUIT during the
// production deploy, and every command's output (deploy, snapshot, rollback) in the log — grouped per command in the
// action, printed by a failed manual rollback, and masked across the long-line cut.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { access, chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startGitHubApi } from '../support/github-api/server.js';
import { ROOT, runNode, runnerFiles } from '../support/runner-files.js';

/** Production is a file (`current`) written by the `command` provider's scripts; the deploy can be told to hang. */
async function commandWorkspace(): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'interrupt-'));
  const script = async (name: string, body: string) => {
    await writeFile(join(workspace, name), `#!/usr/bin/env bash\nset -eo pipefail\n${body}\n`);
    await chmod(join(workspace, name), 0o755);
  };
  await script(
    'deploy.sh',
    [
      'echo "deploy.sh: installing $META_DEPLOY_VERSION"',
      'echo "$META_DEPLOY_VERSION" > current',
      // Hangs in a child process, as a real deploy would (a copy, a migration): it must die with the run.
      'if [ -n "$HANG_DEPLOY" ]; then sleep 60 & echo $! > deploy-child.pid; touch deploy-started; wait; fi',
      'if [ -n "$LEAK_LONG_LINE" ]; then printf "%s" "$LEAK_LONG_LINE"; exit 1; fi',
      'echo "deploy.sh: done"',
    ].join('\n'),
  );
  await script('rollback.sh', 'echo "rollback.sh: restoring $META_DEPLOY_SNAPSHOT_ID"\nif [ -f refuse-rollback ]; then echo "rollback.sh: disk full on host-3" >&2; exit 1; fi\necho "$META_DEPLOY_SNAPSHOT_ID" > current');
  await script('snapshot.sh', 'echo "snapshot.sh: reading current" >&2\ncat current 2>/dev/null || true');
  await writeFile(
    join(workspace, 'deploy.yml'),
    `version: 1
environments:
  production:
    deploy: ./deploy.sh
    rollback: ./rollback.sh
    snapshot: ./snapshot.sh
    health: { timeout: 2s, interval: 100ms, checks: [{ name: Serving, run: 'test -s current' }] }
finalize: { changelog: false }
`,
  );
  return workspace;
}

const cliArgs = (version: string) => [join(ROOT, 'dist/cli/index.js'), 'run', '--config', 'deploy.yml', '--version', version];

async function deployFirst(workspace: string): Promise<void> {
  const first = await runNode('dist/cli/index.js', {}, { cwd: workspace, args: cliArgs('1.0.0').slice(1) });
  expect(first.code, first.stdout + first.stderr).toBe(0);
}

const read = (file: string) => readFile(file, 'utf8').catch(() => '');

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed process whose parent is gone may stay a zombie until init reaps it: it no longer runs.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

/** What an interrupted run left behind: production, the last record, lock files, and the deploy's child process. */
async function aftermath(workspace: string) {
  const records = (await read(join(workspace, '.meta-deploy', 'records.jsonl'))).trim().split('\n').filter(Boolean);
  const deployChild = Number((await read(join(workspace, 'deploy-child.pid'))).trim());
  // SIGKILL is asynchronous: give the kernel a moment before judging.
  for (let i = 0; i < 40 && deployChild > 0 && isRunning(deployChild); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  return {
    production: (await read(join(workspace, 'current'))).trim(),
    last: JSON.parse(records.at(-1) ?? '{}') as { version?: string; result?: string; reason?: string },
    locks: (await readdir(join(workspace, '.meta-deploy'))).filter((name) => name.includes('lock')),
    deployChildRunning: deployChild > 0 && isRunning(deployChild),
  };
}

/** Starts `meta-deploy run` of 2.0.0 with its deploy hanging; resolves once the production deploy is under way. */
async function startHangingRun(workspace: string) {
  const child = spawn(process.execPath, cliArgs('2.0.0'), {
    cwd: workspace,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HANG_DEPLOY: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await waitFor(() => access(join(workspace, 'deploy-started')).then(() => true, () => false));
  return { child, exited, log: () => log };
}

describe('interruptions (dist/cli/index.js)', () => {
  test('output pipe closed (| tee killed by Ctrl-C), then SIGINT during the production deploy: rolled back, recorded, unlocked, nothing left running', async () => {
    const workspace = await commandWorkspace();
    await deployFirst(workspace);
    const run = await startHangingRun(workspace);
    // The reader of the pipe goes away: every later write of the run fails with EPIPE.
    run.child.stdout.destroy();
    run.child.stderr.destroy();
    run.child.kill('SIGINT');

    expect(await run.exited).toBe(1);
    const after = await aftermath(workspace);
    expect(after.production).toBe('1.0.0');
    expect(after.last).toMatchObject({ version: '2.0.0', result: 'rolled-back' });
    expect(after.last.reason).toMatch(/cancelled/);
    expect(after.locks).toEqual([]);
    expect(after.deployChildRunning).toBe(false);
    // The report was written too, and the next run is not blocked.
    const reports = await readdir(join(workspace, '.meta-deploy', 'reports'));
    expect(reports.filter((name) => name.includes('2.0.0'))).toHaveLength(1);
    const next = await runNode('dist/cli/index.js', {}, { cwd: workspace, args: cliArgs('2.0.1').slice(1) });
    expect(next.code, next.stdout + next.stderr).toBe(0);
  });

  test.each(['SIGHUP', 'SIGQUIT'] as const)('%s during the production deploy cancels like Ctrl-C: rolled back, recorded, exit 1, no child left', async (signal) => {
    const workspace = await commandWorkspace();
    await deployFirst(workspace);
    const run = await startHangingRun(workspace);
    run.child.kill(signal);

    expect(await run.exited).toBe(1);
    const after = await aftermath(workspace);
    expect(after.production).toBe('1.0.0');
    expect(after.last).toMatchObject({ version: '2.0.0', result: 'rolled-back' });
    expect(after.locks).toEqual([]);
    expect(after.deployChildRunning).toBe(false);
    expect(run.log()).toContain('meta-deploy: cancelling');
    expect(run.log()).toContain('Deployment Result: ROLLED BACK');
  });

  test('| head -c 300: the run goes on to the end after its reader has gone, and succeeds', async () => {
    const workspace = await commandWorkspace();
    await deployFirst(workspace);
    const result = await new Promise<{ code: number | null; bytes: number }>((resolve) => {
      const shell = spawn('bash', ['-c', `'${process.execPath}' ${cliArgs('2.0.0').map((arg) => `'${arg}'`).join(' ')} 2>&1 | head -c 300; exit "\${PIPESTATUS[0]}"`], {
        cwd: workspace,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let bytes = 0;
      shell.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
      shell.on('exit', (code) => resolve({ code, bytes }));
    });
    expect(result.bytes).toBe(300);
    expect(result.code).toBe(0);
    const after = await aftermath(workspace);
    expect(after.production).toBe('2.0.0');
    expect(after.last).toMatchObject({ version: '2.0.0', result: 'success' });
    expect(after.locks).toEqual([]);
  });
});

/** Runs a bundled entry with both output pipes closed from the start (a runner whose log reader went away). */
function runWithClosedOutput(script: string, env: Record<string, string>, onStart?: (pid: number) => void): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [join(ROOT, script)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.destroy();
  child.stderr.destroy();
  onStart?.(child.pid!);
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
}

describe('interruptions (dist/index.js, dist/post/index.js)', () => {
  test('with its log pipe closed, the action deploys to the end; killed mid-deploy, its post step still rolls back', async () => {
    const workspace = await commandWorkspace();
    await deployFirst(workspace);
    const done = await runnerFiles(workspace, { config: 'deploy.yml', version: '2.0.0', 'github-token': '' });
    expect(await runWithClosedOutput('dist/index.js', done.env)).toEqual({ code: 0, signal: null });
    expect(await done.outputs()).toMatchObject({ result: 'success', version: '2.0.0' });
    expect((await aftermath(workspace)).production).toBe('2.0.0');

    const killed = await runnerFiles(workspace, { config: 'deploy.yml', version: '3.0.0', 'github-token': '' });
    let pid = 0;
    const main = runWithClosedOutput('dist/index.js', { ...killed.env, HANG_DEPLOY: '1' }, (started) => (pid = started));
    await waitFor(() => access(join(workspace, 'deploy-started')).then(() => true, () => false));
    process.kill(pid, 'SIGKILL');
    expect((await main).signal).toBe('SIGKILL');
    // The deploy's own process group outlives its killed parent, as on a runner that kills only the step.
    const deployChild = Number((await read(join(workspace, 'deploy-child.pid'))).trim());
    const group = Number(readFileSync(`/proc/${deployChild}/stat`, 'utf8').split(') ')[1]!.split(' ')[2]);
    expect(() => process.kill(-group, 0)).not.toThrow();
    expect((await aftermath(workspace)).production).toBe('3.0.0');
    const journal = JSON.parse(await read(join(workspace, '.meta-deploy', 'run-journal.json')));
    expect(journal.inFlight.phase).toBe('deploying');
    expect(journal.groups).toContain(group);

    const state = await killed.state();
    const stateEnv = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
    expect(await runWithClosedOutput('dist/post/index.js', { ...killed.env, ...stateEnv })).toEqual({ code: 0, signal: null });
    expect((await aftermath(workspace)).production).toBe('2.0.0');
    expect(() => process.kill(-group, 0)).toThrow(); // the post step ended it before rolling back
  });
});

describe('a killed main step on GitHub (dist/index.js, dist/post/index.js, the API stand-in)', () => {
  test('the post step rolls back, then closes the deployments the main step left in progress: staging success, production failure "rolled back"', async () => {
    const workspace = await commandWorkspace();
    // Staging is a file of its own, and passes; production hangs.
    const staging = `  staging:
    deploy: echo "$META_DEPLOY_VERSION" > staging-current
    rollback: echo "$META_DEPLOY_SNAPSHOT_ID" > staging-current
    snapshot: cat staging-current 2>/dev/null || true
    smoke: { checks: [{ name: Serving, run: 'test -s staging-current' }] }
`;
    await writeFile(join(workspace, 'deploy.yml'), (await read(join(workspace, 'deploy.yml'))).replace('environments:\n', `environments:\n${staging}`));
    await deployFirst(workspace);
    const token = 'ghs_planted0secret0token0000000000000000';
    const github = await startGitHubApi({ token });
    try {
      const [sha] = github.state.addCommits(['feat: search box']);
      const killed = await runnerFiles(workspace, { config: 'deploy.yml', version: '3.0.0', 'github-token': token });
      const env = { ...killed.env, GITHUB_API_URL: github.url, GITHUB_SERVER_URL: 'http://github.test', GITHUB_RUN_ID: '77', GITHUB_SHA: sha! };
      let pid = 0;
      const main = runNode('dist/index.js', { ...env, HANG_DEPLOY: '1' }, { onStart: (started) => (pid = started) });
      await waitFor(() => access(join(workspace, 'deploy-started')).then(() => true, () => false));
      process.kill(pid, 'SIGKILL');
      expect((await main).signal).toBe('SIGKILL');
      const statesOf = (environment: string) => github.state.deployments.filter((d) => d.environment === environment).map((d) => github.state.statusesOf(d.id).reverse());
      expect(statesOf('production').map((statuses) => statuses.map((status) => status.state))).toEqual([['in_progress']]);

      const journalFile = join(workspace, '.meta-deploy', 'run-journal.json');
      const journal = await read(journalFile);
      const state = await killed.state();
      const stateEnv = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
      const post = await runNode('dist/post/index.js', { ...env, ...stateEnv });
      expect(post.code, post.stdout + post.stderr).toBe(0);
      expect((await aftermath(workspace)).production).toBe('1.0.0');
      const [production] = statesOf('production');
      expect(production!.map((status) => status.state)).toEqual(['in_progress', 'failure']);
      expect(production![1]).toMatchObject({ log_url: 'http://github.test/acme/shop/actions/runs/77' });
      expect(production![1]!.description).toMatch(/^killed during the production deploy of 3\.0\.0 .*production rolled back to 1\.0\.0 by the post step/);
      expect(statesOf('staging').map((statuses) => statuses.map((status) => status.state))).toEqual([['in_progress', 'success']]);
      expect(github.violations).toEqual([]);
      expect(post.stdout).toMatch(/GitHub deployment #\d+ \(production\) → failure/);
      expect(await killed.summary()).toMatch(/GitHub deployment #\d+ \| production → `failure`/);

      // A main step killed after its record was written, while its last statuses were still queued: the journal is
      // there, the record too. The deployments saved in progress get the record's outcome.
      await writeFile(journalFile, journal);
      const late = await runNode('dist/post/index.js', { ...env, ...stateEnv });
      expect(late.stdout).toContain('already recorded');
      expect(statesOf('production')[0]!.map((status) => status.state)).toEqual(['in_progress', 'failure', 'failure']);
      expect(github.violations).toEqual([]);
    } finally {
      await github.stop();
    }
  });
});

describe('command output in the log', () => {
  test('the CLI log shows the snapshot, deploy and rollback commands\' own output, on success and failure', async () => {
    const workspace = await commandWorkspace();
    await deployFirst(workspace);
    const ok = await runNode('dist/cli/index.js', {}, { cwd: workspace, args: cliArgs('2.0.0').slice(1) });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('production/snapshot | snapshot.sh: reading current');
    expect(ok.stdout).toContain('production/deploy | deploy.sh: installing 2.0.0');
    expect(ok.stdout).toContain('production/deploy | deploy.sh: done');

    // A failed manual rollback says why, in the command's own words, not just "exit 1".
    await writeFile(join(workspace, 'refuse-rollback'), '');
    const rollback = await runNode('dist/cli/index.js', {}, { cwd: workspace, args: ['rollback', '--config', 'deploy.yml', '--environment', 'production', '--to', '1.0.0'] });
    expect(rollback.code).toBe(1);
    expect(rollback.stdout).toContain('rollback/production/rollback | rollback.sh: restoring 1.0.0');
    expect(rollback.stdout).toContain('rollback/production/rollback | rollback.sh: disk full on host-3');
  });

  test('the action log puts each command\'s output in one ::group:: of its own, stage banners outside groups', async () => {
    const workspace = await commandWorkspace();
    await deployFirst(workspace);
    // Two test commands in parallel, their lines interleaved: each still gets one whole group.
    const tests = `validate:
  tests:
    - { name: a, run: 'echo a1; sleep 0.3; echo a2' }
    - { name: b, run: 'sleep 0.1; echo b1; sleep 0.4; echo b2' }
`;
    await writeFile(join(workspace, 'deploy.yml'), (await read(join(workspace, 'deploy.yml'))).replace('version: 1\n', `version: 1\n${tests}`));
    const runner = await runnerFiles(workspace, { config: 'deploy.yml', version: '2.0.0', 'github-token': '' });
    const result = await runNode('dist/index.js', runner.env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    let open: string | undefined;
    const groups: Record<string, string[]> = {};
    for (const line of lines) {
      if (line.startsWith('::group::')) {
        expect(open, `${line} opened inside ${open}`).toBeUndefined();
        open = line.slice('::group::'.length);
        expect(groups[open], `a second group for ${open}`).toBeUndefined();
        groups[open] = [];
      } else if (line === '::endgroup::') {
        expect(open).toBeDefined();
        open = undefined;
      } else if (open !== undefined) {
        groups[open]!.push(line);
        expect(line, 'a stage banner inside a group').not.toMatch(/^\[\w+\] (started|passed|failed)/);
      }
    }
    expect(open).toBeUndefined();
    expect(groups['validate/a']).toEqual(['  validate/a | a1', '  validate/a | a2']);
    expect(groups['validate/b']).toEqual(['  validate/b | b1', '  validate/b | b2']);
    expect(groups['production/deploy']).toEqual(['  production/deploy | deploy.sh: installing 2.0.0', '  production/deploy | deploy.sh: done']);
    // One line on stderr, one on stdout: two pipes, read as they come, so their order is not fixed.
    expect([...groups['production/snapshot']!].sort()).toEqual(['  production/snapshot | 1.0.0', '  production/snapshot | snapshot.sh: reading current']);
    expect(result.stdout).toMatch(/^\[production\] started$/m);
  });

  test('a secret straddling the 16 KiB cut of a long line is masked in the log, the report and the summary', async () => {
    const workspace = await commandWorkspace();
    const secret = 'tok-8f3a9c1e77d2b5aa';
    await writeFile(join(workspace, 'deploy.yml'), (await read(join(workspace, 'deploy.yml'))).replace('version: 1\n', 'version: 1\nvalidate: { prerequisites: { env: [DEPLOY_TOKEN] } }\n'));
    const line = `${'x'.repeat(16 * 1024 - 7)}${secret}${'y'.repeat(100)}`;
    const runner = await runnerFiles(workspace, { config: 'deploy.yml', version: '1.0.0', 'github-token': '' });
    const result = await runNode('dist/index.js', { ...runner.env, DEPLOY_TOKEN: secret, LEAK_LONG_LINE: line });
    expect(result.code).toBe(1);
    const log = (result.stdout + result.stderr).split('\n').filter((text) => !text.startsWith('::add-mask::'));
    const pieces = log.filter((text) => text.startsWith('  production/deploy | ')).map((text) => text.slice('  production/deploy | '.length));
    expect(pieces.join('')).toContain(`${'x'.repeat(16 * 1024 - 7)}***${'y'.repeat(100)}`);
    // No half of the secret anywhere: its first and last 8 characters never appear.
    for (const half of [secret.slice(0, 8), secret.slice(-8)]) {
      expect(log.join('\n')).not.toContain(half);
      expect(await runner.summary()).not.toContain(half);
      expect(await readFile((await runner.outputs()).report!, 'utf8')).not.toContain(half);
    }
    expect(await readFile((await runner.outputs()).report!, 'utf8')).toMatch(/x\*\*\*(\\n)?y|x(\\n)?\*\*\*y/);
  });
});
