// Failure thresholds of the staging smoke and production health polls, through the bundled CLI on a real workspace
// served by real platforms: a release answering 500 from the start is failed (staging) or rolled back (production)
// after `failure-threshold` rounds, far below the timeout; a release that refuses connections for a while before it
// is healthy (a slow start) is waited for and deployed.
import { readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, test } from 'vitest';
import { freePort, startPlatform } from '../support/platform.js';
import { runNode } from '../support/runner-files.js';
import { fixtureWorkspace, writeConfig } from '../support/workspace.js';

/** Both polls with a timeout far above `failure-threshold` × `interval`. */
const TIMEOUT_MS = 20_000;
const INTERVAL_MS = 200;

function thresholdConfig(stagingUrl: string, productionUrl: string): string {
  const poll = `{ timeout: ${TIMEOUT_MS}ms, interval: ${INTERVAL_MS}ms, failure-threshold: 3, checks: [{ name: Health endpoint, http: "\${url}/healthz", status: 200, contains: ok }] }`;
  return `version: 1
build:
  run: node build.mjs
  artifacts: ["dist/**"]
environments:
  staging:
    url: ${stagingUrl}
    provider: local
    path: srv/staging
    smoke: ${poll}
  production:
    url: ${productionUrl}
    provider: local
    path: srv/production
    health: ${poll}
finalize: { changelog: false }
`;
}

async function run(workspace: string, version: string, env: Record<string, string> = {}) {
  const result = await runNode('dist/cli/index.js', env, { cwd: workspace, args: ['run', '--version', version, '--json'] });
  return { ...result, report: JSON.parse(result.stdout) };
}

/** Starts serving an environment on its port `afterMs` after a release was switched in: until then it refuses
 *  connections. Gives up (undefined) if the run ends first. */
async function serveLate(workspace: string, environment: string, port: number, afterMs: number, runEnded: AbortSignal) {
  const current = join(workspace, 'srv', environment, 'current');
  while (!(await readlink(current).then(() => true, () => false))) {
    if (runEnded.aborted) return undefined;
    await sleep(20);
  }
  await sleep(afterMs);
  return startPlatform(join(workspace, 'srv', environment), environment, {}, port);
}

describe('poll thresholds through dist/cli/index.js', () => {
  test('a production release answering 503 from the start is rolled back after failure-threshold rounds, not at the timeout', async () => {
    const workspace = await fixtureWorkspace();
    await using staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
    await using production = await startPlatform(join(workspace, 'srv', 'production'), 'production');
    await writeConfig(workspace, thresholdConfig(staging.url, production.url));
    expect((await run(workspace, '1.0.0')).report.result).toBe('success');

    const { code, report } = await run(workspace, '1.1.0', { FIXTURE_MODE: 'broken-in-production' });

    expect(code).toBe(1);
    expect(report.result).toBe('rolled-back');
    const health = report.stages.production.data.checks;
    expect(health).toMatchObject({ ok: false, ended: 'failure-threshold', attempts: 3, timeoutMs: TIMEOUT_MS });
    expect(health.checks[0]).toMatchObject({ status: 'failed', answered: true, inARow: 3, attempts: 3, got: 'HTTP 503' });
    // Three rounds two intervals apart: nowhere near the timeout.
    expect(health.elapsedMs).toBeLessThan(TIMEOUT_MS / 4);
    expect(report.reason).toBe(
      'production health checks failed: environments.production.health.checks[0] (Health endpoint): HTTP 503 (expected 200) 3 times in a row (failure-threshold 3)',
    );
    expect(await production.get('/version')).toEqual({ status: 200, body: '1.0.0' });
  });

  test('a staging release answering 500 from the start fails the smoke gate after failure-threshold rounds', async () => {
    const workspace = await fixtureWorkspace();
    await using staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
    await writeConfig(workspace, thresholdConfig(staging.url, 'http://127.0.0.1:9'));

    const { code, report } = await run(workspace, '1.0.0', { FIXTURE_MODE: 'broken-everywhere' });

    expect(code).toBe(1);
    expect(report).toMatchObject({ result: 'failed', failedStage: 'staging' });
    const smoke = report.stages.staging.data.checks;
    expect(smoke).toMatchObject({ ok: false, ended: 'failure-threshold', attempts: 3 });
    expect(smoke.elapsedMs).toBeLessThan(TIMEOUT_MS / 4);
    expect(report.reason).toContain('(Health endpoint): HTTP 500 (expected 200) 3 times in a row (failure-threshold 3)');
    expect(report.stages.production.status).toBe('not-run');
  });

  test('a release that refuses connections for a while before it is healthy is waited for, in staging and in production', async () => {
    const workspace = await fixtureWorkspace();
    const [stagingPort, productionPort] = [await freePort(), await freePort()];
    await writeConfig(workspace, thresholdConfig(`http://127.0.0.1:${stagingPort}`, `http://127.0.0.1:${productionPort}`));
    // Each environment starts serving 2.5 s after its release is switched in: about ten refused rounds, three allowed.
    const runEnded = new AbortController();
    const platforms = Promise.all([
      serveLate(workspace, 'staging', stagingPort, 2500, runEnded.signal),
      serveLate(workspace, 'production', productionPort, 2500, runEnded.signal),
    ]);

    const { code, stdout, report } = await run(workspace, '1.0.0');
    runEnded.abort();
    const [staging, production] = await platforms;
    await using _s = staging;
    await using _p = production;

    expect(code, stdout).toBe(0);
    expect(report.result).toBe('success');
    for (const poll of [report.stages.staging.data.checks, report.stages.production.data.checks]) {
      expect(poll).toMatchObject({ ok: true, ended: 'passed' });
      expect(poll.attempts).toBeGreaterThan(3);
      expect(poll.checks[0]).toMatchObject({ status: 'passed', answered: true });
    }
    expect(await production!.get('/version')).toEqual({ status: 200, body: '1.0.0' });
  });
});
