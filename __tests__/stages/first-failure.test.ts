// The reason a smoke or health gate gives when its poll did not pass: it names the check and says why the poll ended —
// the failure threshold, a target that never answered, the timeout, too few passing rounds in a row, or a cancel.
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { pollChecks } from '../../src/checks/poll.js';
import { realClock } from '../../src/exec/clock.js';
import { firstFailure } from '../../src/stages/rollout.js';
import { checkContext, httpConfig, tcpConfig } from '../checks/check-context.js';
import { closedPort, startHttpServer, type ScriptedServer } from '../checks/scripted-server.js';

const servers: ScriptedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
async function serverAnswering(status: (n: number) => number): Promise<ScriptedServer> {
  const server = await startHttpServer((_request, response, n) => {
    response.statusCode = status(n);
    response.end();
  });
  servers.push(server);
  return server;
}
const deps = { clock: realClock };

describe('firstFailure', () => {
  it('names the check that reached the failure threshold and how many times in a row it failed', async () => {
    const server = await serverAnswering(() => 500);
    const result = await pollChecks([httpConfig(server.url)], checkContext(os.tmpdir()), { timeoutMs: 20_000, intervalMs: 20, failureThreshold: 2 }, deps);
    expect(firstFailure(result)).toBe(
      'environments.staging.smoke.checks[0] (Health endpoint): HTTP 500 (expected 200) 2 times in a row (failure-threshold 2)',
    );
  });

  it('says that a check never answered when the timeout ran out on a target that refused connections', async () => {
    const port = await closedPort();
    const result = await pollChecks([tcpConfig(`127.0.0.1:${port}`)], checkContext(os.tmpdir()), { timeoutMs: 300, intervalMs: 20, failureThreshold: 3 }, deps);
    expect(firstFailure(result)).toBe(
      `environments.staging.smoke.checks[1] (Database connectivity): connection refused (127.0.0.1:${port}) after 300ms; it never answered`,
    );
  });

  it('gives the last outcome at the timeout when no failure threshold applies (health after a rollback)', async () => {
    const server = await serverAnswering(() => 500);
    const result = await pollChecks([httpConfig(server.url)], checkContext(os.tmpdir()), { timeoutMs: 300, intervalMs: 20 }, deps);
    expect(firstFailure(result)).toBe('environments.staging.smoke.checks[0] (Health endpoint): HTTP 500 (expected 200) after 300ms');
  });

  it('names the check that passed too few rounds in a row when the success threshold was not reached in time', async () => {
    const server = await serverAnswering(() => 200);
    const result = await pollChecks([httpConfig(server.url)], checkContext(os.tmpdir()), { timeoutMs: 300, intervalMs: 20, failureThreshold: 3, successThreshold: 1000 }, deps);
    expect(result.ended).toBe('timeout');
    expect(firstFailure(result)).toMatch(
      /^environments\.staging\.smoke\.checks\[0\] \(Health endpoint\): passed \d+ rounds? in a row, fewer than success-threshold 1000, when the 300ms timeout ran out$/,
    );
  });

  it('says when the run was cancelled rather than blaming the timeout', async () => {
    const server = await serverAnswering(() => 500);
    const controller = new AbortController();
    const result = await pollChecks([httpConfig(server.url)], checkContext(os.tmpdir()), { timeoutMs: 20_000, intervalMs: 20, failureThreshold: 3 }, {
      ...deps,
      signal: controller.signal,
      onRound: () => controller.abort(),
    });
    expect(firstFailure(result)).toMatch(/^environments\.staging\.smoke\.checks\[0\] \(Health endpoint\): HTTP 500 \(expected 200\) when the run was cancelled, \d+ms in$/);
  });
});
