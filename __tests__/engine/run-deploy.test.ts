import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomInt, randomUUID } from 'node:crypto';
import { afterEach, expect, test } from 'vitest';
import { createRecordStore } from '../../src/engine/records.js';
import { maskDeep } from '../../src/exec/mask.js';
import { renderSummary } from '../../src/report/summary.js';
import { createDeployWorkspace, pipelineConfig, type DeployWorkspace } from './deploy-workspace.js';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';
import { recordingInFlight, recordingObserver } from './recording-observer.js';
import { runPipeline } from './run-pipeline.js';

const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
  }
});

/** Production as a real server: /healthz answers 200 "ok" while the version in envs/production/current is healthy. */
function startProduction(workspace: DeployWorkspace, healthy: (version: string | undefined) => boolean): Promise<LoopbackServer> {
  return startLoopbackServer((request, response) => {
    void workspace.current('production').then((version) => {
      const ok = request.url === '/healthz' ? healthy(version) : true;
      response.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain' });
      response.end(ok ? `ok ${version}` : `broken ${version}`);
    });
  });
}

function records(workspace: DeployWorkspace) {
  return createRecordStore(join(workspace.dir, '.meta-deploy', 'records.jsonl')).list();
}

function manualCommand(workspace: DeployWorkspace, snapshot: string): string {
  return `node /opt/meta-deploy/dist/cli/index.js rollback --workspace ${workspace.dir} --config ${workspace.configFile} --target default --environment production --to ${snapshot}`;
}

/** pids of live processes whose command line contains `marker` (pgrep itself excluded; no shell in between). */
function pgrep(marker: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile('pgrep', ['-f', marker], (error, stdout) => {
      if (error && error.code !== 1) reject(error);
      else resolve(stdout.split('\n').filter(Boolean));
    });
  });
}

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('a production rollback that fails gives `failed` with the manual command in the first line of the summary, and the record keeps production', async () => {
  await using workspace = await createDeployWorkspace();
  await using production = await startProduction(workspace, (version) => version === '1.0.0');
  await workspace.setCurrent('production', '1.0.0');
  await workspace.writeScript('rollback.sh', 'echo "cannot reach the cluster" >&2\nexit 1\n');

  const { deployment, inFlight } = await runPipeline(workspace.dir, pipelineConfig({ productionUrl: production.url }), { version: '2.0.0' });

  expect(deployment.result).toBe('failed');
  expect(deployment.failedStage).toBe('production');
  expect(deployment.manualRollback).toBe(manualCommand(workspace, '1.0.0'));
  expect(deployment.stages.production.data?.rollback?.status).toBe('failed');
  const firstLine = renderSummary(deployment).split('\n')[0]!;
  expect(firstLine).toMatch(/rollback failed/i);
  expect(firstLine).toContain(manualCommand(workspace, '1.0.0'));
  // The broken release is still what runs.
  expect(await workspace.current('production')).toBe('2.0.0');
  const [record, ...more] = await records(workspace);
  expect(more).toEqual([]);
  expect(record).toMatchObject({ result: 'failed', failedStage: 'production', version: '2.0.0' });
  expect(record!.deployedTo).toContain('production');
  expect(inFlight.events).toEqual(['opened', 'closed:rollback-failed']);
});

test('a rollback whose command succeeds but leaves production unhealthy is `failed` with a manual command, never `rolled-back`', async () => {
  await using workspace = await createDeployWorkspace();
  // Nothing is healthy: the old version does not come back either.
  await using production = await startProduction(workspace, () => false);
  await workspace.setCurrent('production', '1.0.0');

  const { deployment, inFlight } = await runPipeline(workspace.dir, pipelineConfig({ productionUrl: production.url }), { version: '2.0.0' });

  expect(await workspace.current('production')).toBe('1.0.0');
  expect(deployment.result).toBe('failed');
  expect(deployment.failedStage).toBe('production');
  expect(deployment.stages.production.status).not.toBe('rolled-back');
  expect(deployment.stages.production.data?.rollback).toMatchObject({ status: 'failed', healthAfter: { ok: false } });
  expect(deployment.manualRollback).toBe(manualCommand(workspace, '1.0.0'));
  expect(renderSummary(deployment).split('\n')[0]).toContain(manualCommand(workspace, '1.0.0'));
  expect(inFlight.events).toEqual(['opened', 'closed:rollback-failed']);
});

test('a successful production rollback gives `rolled-back` only once the old version is healthy again', async () => {
  await using workspace = await createDeployWorkspace();
  await using production = await startProduction(workspace, (version) => version === '1.0.0');
  await workspace.setCurrent('production', '1.0.0');

  const { deployment, inFlight } = await runPipeline(workspace.dir, pipelineConfig({ productionUrl: production.url }), { version: '2.0.0' });

  expect(deployment.result).toBe('rolled-back');
  expect(deployment.failedStage).toBe('production');
  expect(deployment.manualRollback).toBeUndefined();
  expect(deployment.stages.production.status).toBe('rolled-back');
  expect(deployment.stages.production.data?.rollback).toMatchObject({ status: 'passed', snapshotId: '1.0.0', healthAfter: { ok: true } });
  expect(await workspace.current('production')).toBe('1.0.0');
  const health = await fetch(`${production.url}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.text()).toBe('ok 1.0.0');
  expect(inFlight.events).toEqual(['opened', 'closed:rolled-back']);
  const [record] = await records(workspace);
  expect(record).toMatchObject({ result: 'rolled-back', deployedTo: ['staging'] });
});

test('a first deployment whose production health fails is `failed`: the rollback is skipped, nothing to roll back to', async () => {
  await using workspace = await createDeployWorkspace();
  await using production = await startProduction(workspace, () => false);

  const { deployment } = await runPipeline(workspace.dir, pipelineConfig({ productionUrl: production.url }), { version: '0.1.0' });

  expect(deployment.result).toBe('failed');
  expect(deployment.failedStage).toBe('production');
  expect(deployment.stages.production.data?.snapshot?.id).toBeUndefined();
  expect(deployment.stages.production.data?.rollback).toMatchObject({ status: 'skipped' });
  expect(deployment.stages.production.data?.rollback?.detail).toContain('nothing to roll back to');
  expect(deployment.reason).toContain('nothing to roll back to');
  expect(await workspace.current('production')).toBe('0.1.0');
});

test('cancelling during the staging deploy kills the deploy command with its children and runs nothing after it', { timeout: 20_000 }, async () => {
  await using workspace = await createDeployWorkspace();
  await using production = await startProduction(workspace, () => true);
  // A unique duration is the marker: it is in the sleep's own command line, which `pgrep -f` sees.
  const marker = `sleep 30.${randomInt(100_000_000, 999_999_999)}`;
  await workspace.writeScript('slow-deploy.sh', `touch started\n${marker}\n`);
  const controller = new AbortController();

  const running = runPipeline(workspace.dir, pipelineConfig({ productionUrl: production.url, stagingDeploy: './slow-deploy.sh' }), {
    version: '2.0.0',
    signal: controller.signal,
  });
  await waitFor(async () => (await workspace.exists('started')) && (await pgrep(marker)).length > 0, 'the staging deploy to start sleeping');
  controller.abort();
  const { deployment, inFlight } = await running;

  expect(deployment.result).toBe('failed');
  expect(deployment.failedStage).toBe('staging');
  expect(deployment.reason).toMatch(/^cancelled/);
  expect(deployment.stages.production.status).toBe('not-run');
  expect(deployment.stages.verify.status).toBe('not-run');
  expect(deployment.stages.finalize.status).toBe('not-run');
  expect(await pgrep(marker)).toEqual([]);
  expect(await workspace.current('production')).toBeUndefined();
  expect(inFlight.events).toEqual([]);
});

test('cancelling during verify rolls production back to the snapshot and says the run was cancelled', { timeout: 20_000 }, async () => {
  await using workspace = await createDeployWorkspace();
  await using production = await startProduction(workspace, () => true);
  await workspace.setCurrent('production', '1.0.0');
  const controller = new AbortController();
  let verifyStarted = false;
  // Abort inside the verification window, once production has passed.
  const observer = recordingObserver((stage) => {
    if (stage !== 'verify') return;
    verifyStarted = true;
    setTimeout(() => controller.abort(), 200);
  });
  const config = pipelineConfig({
    productionUrl: production.url,
    verify: '  window: 1s\n  interval: 100ms\n  latency-p95: { max-ratio: 50 }\n  probes: ["${url}/healthz"]\n  probe-rate: 50',
  });

  const { deployment, inFlight } = await runPipeline(workspace.dir, config, { version: '2.0.0', signal: controller.signal, observer });

  expect(verifyStarted).toBe(true);
  expect(deployment.stages.production.status).toBe('passed');
  expect(deployment.failedStage).toBe('verify');
  expect(deployment.result).toBe('rolled-back');
  expect(deployment.reason).toMatch(/cancelled/);
  expect(deployment.stages.verify.data?.rollback).toMatchObject({ status: 'passed', snapshotId: '1.0.0' });
  expect(await workspace.current('production')).toBe('1.0.0');
  expect(deployment.stages.finalize.status).toBe('not-run');
  expect(inFlight.events).toEqual(['opened', 'closed:rolled-back']);
});

test('the in-flight window is closed as healthy before finalize notifies anyone', async () => {
  await using workspace = await createDeployWorkspace();
  await using production = await startProduction(workspace, () => true);
  await workspace.setCurrent('production', '1.0.0');
  const inFlight = recordingInFlight();
  const seenByWebhook: string[][] = [];
  await using hook = await startLoopbackServer((request, response) => {
    seenByWebhook.push([...inFlight.events]);
    request.resume();
    request.on('end', () => response.writeHead(204).end());
  });
  const config = pipelineConfig({ productionUrl: production.url, finalize: '  changelog: false\n  release: false\n  notify: [{ webhook: { url-env: HOOK } }]' });

  const { deployment } = await runPipeline(workspace.dir, config, { version: '2.0.0', env: { HOOK: hook.url }, secrets: [hook.url], inFlight });

  expect(deployment.result).toBe('success');
  expect(deployment.stages.finalize.data?.notifications).toMatchObject([{ status: 'passed' }]);
  expect(seenByWebhook).toEqual([['opened', 'closed:healthy']]);
  expect(inFlight.events).toEqual(['opened', 'closed:healthy']);
  expect(await workspace.current('production')).toBe('2.0.0');
});

test('a run while another live process holds the lock (an older meta-deploy: a bare pid) waits, then fails with the lock message, runs no command and blames no stage', async () => {
  await using workspace = await createDeployWorkspace();
  await using production = await startProduction(workspace, () => true);
  await workspace.setCurrent('production', '1.0.0');
  const holder = spawn('sleep', ['5'], { stdio: 'ignore' });
  children.push(holder);
  const lockFile = join(workspace.dir, '.meta-deploy', 'deploy.lock');
  await mkdir(join(workspace.dir, '.meta-deploy'), { recursive: true });
  await writeFile(lockFile, String(holder.pid));
  const config = `${pipelineConfig({ productionUrl: production.url, validate: '  tests:\n    - { name: unit, run: "touch ran-marker" }' })}\nlock-timeout: 300ms\n`;

  const { deployment, inFlight } = await runPipeline(workspace.dir, config, { version: '2.0.0' });

  expect(deployment.result).toBe('failed');
  expect(deployment.failedStage).toBeUndefined();
  expect(deployment.reason).toMatch(new RegExp(`^not started: another deployment holds ${lockFile} \\(pid ${holder.pid}, run unknown`));
  expect(await workspace.exists('ran-marker')).toBe(false);
  expect(await workspace.current('staging')).toBeUndefined();
  expect(await workspace.current('production')).toBe('1.0.0');
  expect(inFlight.events).toEqual([]);
  // The other run's lock is left alone.
  expect((await readFile(lockFile, 'utf8')).trim()).toBe(String(holder.pid));
});

test('a declared credential printed by commands never reaches the observer, the record or the summary', async () => {
  await using workspace = await createDeployWorkspace();
  await using production = await startProduction(workspace, () => true);
  const secret = `tok-${randomUUID()}`;
  // Commands inherit the process environment (deps.env is what prerequisites read).
  process.env.DEPLOY_TOKEN = secret;
  try {
    // The unit test prints the token in two writes (one line); the health check prints it and fails.
    const config = pipelineConfig({
      productionUrl: production.url,
      validate: [
        '  tests:',
        '    - { name: unit, run: \'printf "unit sees %s" "${DEPLOY_TOKEN:0:8}"; sleep 0.1; printf "%s\\n" "${DEPLOY_TOKEN:8}"; echo "stderr $DEPLOY_TOKEN" >&2\' }',
        '  prerequisites:',
        '    env: [DEPLOY_TOKEN]',
      ].join('\n'),
    }).replace(
      '- { name: Health endpoint, http: "${url}/healthz", status: 200, contains: ok, timeout: 1s }',
      '- { name: Token check, run: \'echo "health sees $DEPLOY_TOKEN"; exit 1\' }',
    );

    const { deployment, observer, mask } = await runPipeline(workspace.dir, config, { version: '2.0.0', env: { DEPLOY_TOKEN: secret }, secrets: [secret] });

    expect(deployment.failedStage).toBe('production');
    const strings = observer.strings();
    // The token did flow through: masked where it was printed.
    expect(strings).toContain('unit sees ***');
    expect(strings).toContain('stderr ***');
    expect(strings.filter((text) => text.includes(secret))).toEqual([]);
    const recordsText = await readFile(join(workspace.dir, '.meta-deploy', 'records.jsonl'), 'utf8');
    expect(recordsText).not.toContain(secret);
    const summary = renderSummary(maskDeep(deployment, mask));
    expect(summary).toContain('health sees ***');
    expect(summary).not.toContain(secret);
  } finally {
    delete process.env.DEPLOY_TOKEN;
  }
});

// src/engine/run-deploy.ts: the `if (deps.signal.aborted)` branch at the top of the stage loop marks the next stage
// "cancelled before verify" and stops, but never rolls back a production that is in flight (inFlightOpen), nor
// closes the window. A cancel that lands while production's last health probe is in flight (the HTTP client does not
// take the signal) therefore leaves the unverified release running with result `failed` and no manual command,
// whereas the same cancel 1 ms later (inside verify) rolls production back. The CLI has no post step to finish it.
test('a cancel that lands as production turns healthy, before verify starts, still rolls production back', { timeout: 20_000 }, async () => {
  await using workspace = await createDeployWorkspace();
  await workspace.setCurrent('production', '1.0.0');
  const controller = new AbortController();
  // The cancel arrives while the health probe of the new release is being answered (healthy).
  await using production = await startLoopbackServer((request, response) => {
    void workspace.current('production').then((version) => {
      if (request.url === '/healthz' && version === '2.0.0') controller.abort();
      response.writeHead(200).end(`ok ${version}`);
    });
  });
  const config = pipelineConfig({ productionUrl: production.url, verify: '  window: 1s\n  interval: 100ms\n  latency-p95: { max-ratio: 50 }\n  probes: ["${url}/healthz"]\n  probe-rate: 50' });

  const { deployment, inFlight } = await runPipeline(workspace.dir, config, { version: '2.0.0', signal: controller.signal });

  // Production passed its health check, then was rolled back because it was never verified.
  expect(deployment.stages.production.status).toBe('rolled-back');
  expect(deployment.stages.production.data?.rollback).toMatchObject({ status: 'passed', snapshotId: '1.0.0' });
  expect(deployment.reason).toMatch(/^cancelled/);
  expect(await workspace.current('production')).toBe('1.0.0');
  expect((await records(workspace)).at(-1)?.deployedTo).toEqual(['staging']);
  expect(deployment.result).toBe('rolled-back');
  expect(inFlight.events).toEqual(['opened', 'closed:rolled-back']);
});

test('a finalize step that breaks is a warning, and the successful run is still recorded', async () => {
  await using workspace = await createDeployWorkspace();
  await using production = await startProduction(workspace, () => true);
  // A git repository whose changelog folder cannot be created (a file is in its place).
  await new Promise((resolve, reject) => execFile('git', ['init', '-q'], { cwd: workspace.dir }, (error) => (error ? reject(error) : resolve(undefined))));
  await mkdir(join(workspace.dir, '.meta-deploy'), { recursive: true });
  await writeFile(join(workspace.dir, '.meta-deploy', 'changelog'), 'not a folder');

  const config = pipelineConfig({ productionUrl: production.url, finalize: '  changelog: true\n  release: false' });
  const { deployment } = await runPipeline(workspace.dir, config, { version: '2.0.0' });

  expect(deployment.result).toBe('success');
  expect(deployment.stages.finalize.status).toBe('warning');
  expect(deployment.stages.finalize.data?.changelog).toMatchObject({ status: 'warning' });
  expect(deployment.stages.finalize.data?.record).toMatchObject({ status: 'passed' });
  expect(await records(workspace)).toEqual([expect.objectContaining({ version: '2.0.0', result: 'success', deployedTo: ['staging', 'production'] })]);
});

test('a state directory that cannot be used fails the run with a clear reason before any command runs', async () => {
  await using workspace = await createDeployWorkspace();
  await using production = await startProduction(workspace, () => true);
  await writeFile(join(workspace.dir, '.meta-deploy'), 'a file where the state directory should be');
  const config = pipelineConfig({ productionUrl: production.url, validate: '  tests:\n    - { name: unit, run: "touch RAN" }' });

  const { deployment } = await runPipeline(workspace.dir, config, { version: '2.0.0' });

  expect(deployment.result).toBe('failed');
  expect(deployment.reason).toMatch(/cannot use state directory .*\.meta-deploy/);
  expect(await workspace.exists('RAN')).toBe(false);
  expect(await workspace.current('staging')).toBeUndefined();
});
