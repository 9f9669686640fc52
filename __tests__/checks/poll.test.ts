import type http from 'node:http';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { pollChecks, runChecksOnce } from '../../src/checks/poll.js';
import type { CheckRecord } from '../../src/checks/types.js';
import { realClock } from '../../src/exec/clock.js';
import type { Clock } from '../../src/exec/types.js';
import { checkContext, httpConfig, runConfig, tcpConfig } from './check-context.js';
import type { ScriptedServer } from './scripted-server.js';
import { closedPort, lateHttpServer, startHttpServer } from './scripted-server.js';

const servers: ScriptedServer[] = [];
const track = (server: ScriptedServer): ScriptedServer => (servers.push(server), server);
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
const context = (url = 'http://127.0.0.1:1') => checkContext(os.tmpdir(), { url });
const deps = { clock: realClock };

/** Time that moves only when slept: shows exactly which pauses the poll asks for. */
function steppedClock(): Clock & { sleeps: number[] } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('pollChecks', () => {
  it('passes at once with no records when there are no checks', async () => {
    expect(await pollChecks([], context(), { timeoutMs: 1000, intervalMs: 100 }, deps)).toEqual({
      ok: true,
      ended: 'passed',
      elapsedMs: 0,
      timeoutMs: 1000,
      attempts: 0,
      successThreshold: 1,
      checks: [],
    });
  });

  it('passes on the first round when every check is healthy', async () => {
    const server = track(await startHttpServer((_req, res) => res.end('ok')));
    const result = await pollChecks(
      [httpConfig('${url}/healthz', { contains: 'ok' }), runConfig('true')],
      context(server.url),
      { timeoutMs: 5000, intervalMs: 50 },
      deps,
    );
    expect(result).toMatchObject({ ok: true, attempts: 1, timeoutMs: 5000 });
    expect(result.checks.map((check) => [check.name, check.kind, check.status, check.attempts])).toEqual([
      ['Health endpoint', 'http', 'passed', 1],
      ['Authentication flow', 'run', 'passed', 1],
    ]);
    expect(result.checks[0]?.passedAfterMs).toBeGreaterThanOrEqual(0);
  });

  it('passes on a later round once the service becomes healthy', async () => {
    const server = track(await startHttpServer((_req, res, n) => {
      res.statusCode = n < 3 ? 503 : 200;
      res.end();
    }));
    const rounds: [number, CheckRecord['status'], string][] = [];
    const result = await pollChecks([httpConfig(server.url)], context(server.url), { timeoutMs: 5000, intervalMs: 20 }, {
      ...deps,
      onRound: (round, records) => rounds.push([round, records[0]!.status, records[0]!.detail.replace(/ in \d+ms/, '')]),
    });
    expect(result.ok).toBe(true);
    expect(result.attempts).toBe(3);
    expect(result.checks[0]).toMatchObject({ status: 'passed', attempts: 3 });
    expect(rounds).toEqual([
      [1, 'failed', 'HTTP 503 (expected 200)'],
      [2, 'failed', 'HTTP 503 (expected 200)'],
      [3, 'passed', 'HTTP 200'],
    ]);
  });

  it('fails when the time is up, keeping the last outcome of each check with expected and got', async () => {
    const server = track(await startHttpServer((req, res) => {
      res.statusCode = req.url === '/healthz' ? 500 : 200;
      res.end();
    }));
    const result = await pollChecks(
      [httpConfig('${url}/healthz'), httpConfig('${url}/', { name: 'Home' })],
      context(server.url),
      { timeoutMs: 300, intervalMs: 50 },
      deps,
    );
    expect(result.ok).toBe(false);
    expect(result.ended).toBe('timeout');
    expect(result.attempts).toBeGreaterThan(1);
    expect(result.timeoutMs).toBe(300);
    expect(result.checks[0]).toMatchObject({
      status: 'failed',
      attempts: result.attempts,
      detail: 'HTTP 500 (expected 200)',
      expected: 'HTTP 200',
      got: 'HTTP 500',
    });
    expect(result.checks[1]).toMatchObject({ name: 'Home', status: 'passed' });
  });

  it('cuts an attempt short at the deadline even when the check allows longer', async () => {
    const server = track(await startHttpServer(() => {}));
    const result = await pollChecks([httpConfig(server.url, { timeoutMs: 60_000 })], context(server.url), { timeoutMs: 300, intervalMs: 50 }, deps);
    expect(result.ok).toBe(false);
    expect(result.checks[0]?.detail).toMatch(/^timed out after \d+ms$/);
  });

  it('sleeps the interval between rounds but never past the deadline', async () => {
    const clock = steppedClock();
    const port = await closedPort();
    const result = await pollChecks([tcpConfig(`127.0.0.1:${port}`)], context(), { timeoutMs: 1000, intervalMs: 300 }, { clock });
    expect(clock.sleeps).toEqual([300, 300, 300, 100]);
    expect(result).toMatchObject({ ok: false, ended: 'never-answered', attempts: 4, elapsedMs: 1000 });
    expect(result.checks[0]).toMatchObject({ status: 'failed', attempts: 4, answered: false, got: 'connection refused' });
  });

  it('stops waiting when aborted', async () => {
    const controller = new AbortController();
    const result = await pollChecks([runConfig('exit 1')], context(), { timeoutMs: 60_000, intervalMs: 60_000 }, {
      ...deps,
      signal: controller.signal,
      onRound: () => controller.abort(),
    });
    expect(result).toMatchObject({ ok: false, ended: 'cancelled', attempts: 1 });
  });
});

describe('runChecksOnce', () => {
  it('runs every check once and records each outcome', async () => {
    const server = track(await startHttpServer((_req, res) => res.end('ok')));
    const records = await runChecksOnce([httpConfig(server.url), runConfig('echo nope; exit 2')], context(server.url));
    expect(records.map((record) => [record.status, record.attempts])).toEqual([
      ['passed', 1],
      ['failed', 1],
    ]);
    expect(records[1]).toMatchObject({ detail: 'exit 2', output: 'nope' });
    expect(records[0]!.at).toBe('environments.staging.smoke.checks[0]');
  });
});

describe('pollChecks thresholds', () => {
  const answer = (code: number) => (_request: http.IncomingMessage, response: http.ServerResponse) => {
    response.statusCode = code;
    response.end();
  };

  it('ends at once, not at the timeout, when an answering check fails failure-threshold times in a row', async () => {
    const server = track(await startHttpServer(answer(500)));
    const result = await pollChecks([httpConfig(server.url)], context(server.url), { timeoutMs: 20_000, intervalMs: 20, failureThreshold: 3 }, deps);
    expect(result).toMatchObject({ ok: false, ended: 'failure-threshold', attempts: 3, failureThreshold: 3 });
    expect(result.elapsedMs).toBeLessThan(10_000);
    expect(result.checks[0]).toMatchObject({ status: 'failed', answered: true, inARow: 3, detail: 'HTTP 500 (expected 200)' });
    expect(server.requests).toBe(3);
  });

  it('waits for a target that refuses connections (a slow start) past the failure threshold, then passes', async () => {
    const server = await lateHttpServer(answer(200));
    const result = await pollChecks([httpConfig(server.url)], context(server.url), { timeoutMs: 20_000, intervalMs: 20, failureThreshold: 2 }, {
      ...deps,
      onRound: (round) => void (round === 5 && server.start().then(track)),
    });
    expect(result).toMatchObject({ ok: true, ended: 'passed' });
    expect(result.attempts).toBeGreaterThanOrEqual(6);
    expect(result.checks[0]).toMatchObject({ status: 'passed', answered: true, inARow: 1 });
  });

  it('counts failures from the first answer on: refusals before it do not bring the threshold closer', async () => {
    const server = await lateHttpServer(answer(503));
    const rounds: [boolean, number][] = [];
    const result = await pollChecks([httpConfig(server.url)], context(server.url), { timeoutMs: 20_000, intervalMs: 20, failureThreshold: 3 }, {
      ...deps,
      onRound: (round, records) => {
        rounds.push([records[0]!.answered, records[0]!.inARow]);
        if (round === 4) void server.start().then(track);
      },
    });
    expect(result).toMatchObject({ ok: false, ended: 'failure-threshold' });
    // Four refusals (however many rounds the listen took to land), then three 503s.
    const firstAnswer = rounds.findIndex(([answered]) => answered);
    expect(firstAnswer).toBeGreaterThanOrEqual(4);
    expect(rounds.slice(firstAnswer)).toEqual([[true, 1], [true, 2], [true, 3]]);
    expect(result.checks[0]).toMatchObject({ detail: 'HTTP 503 (expected 200)', inARow: 3 });
  });

  it('once answered, a target that stops accepting connections is failing, not starting', async () => {
    const server = track(await startHttpServer(answer(200)));
    const result = await pollChecks([httpConfig(server.url)], context(server.url), { timeoutMs: 20_000, intervalMs: 20, failureThreshold: 2, successThreshold: 3 }, {
      ...deps,
      onRound: (round) => void (round === 1 && server.close()),
    });
    expect(result).toMatchObject({ ok: false, ended: 'failure-threshold', attempts: 3 });
    expect(result.checks[0]).toMatchObject({ answered: true, inARow: 2, got: 'connection refused' });
  });

  it('a pass in between starts the count again: a flapping check runs to the timeout', async () => {
    const server = track(await startHttpServer((req, res, n) => answer(n % 3 === 0 ? 200 : 500)(req, res)));
    const result = await pollChecks([httpConfig(server.url)], context(server.url), { timeoutMs: 1500, intervalMs: 20, failureThreshold: 3, successThreshold: 2 }, deps);
    expect(result).toMatchObject({ ok: false, ended: 'timeout' });
    expect(result.attempts).toBeGreaterThanOrEqual(5);
  });

  it('passes only after every check has passed success-threshold rounds in a row', async () => {
    const server = track(await startHttpServer((req, res, n) => answer(n === 2 ? 500 : 200)(req, res)));
    const result = await pollChecks([httpConfig(server.url), runConfig('true')], context(server.url), { timeoutMs: 20_000, intervalMs: 20, failureThreshold: 3, successThreshold: 2 }, deps);
    // 200, 500, 200, 200: the first pass is not enough, the failure starts the count again.
    expect(result).toMatchObject({ ok: true, ended: 'passed', attempts: 4, successThreshold: 2 });
    expect(result.checks.map((check) => check.inARow)).toEqual([2, 4]);
  });

  it('a run check whose command exits non-zero has answered: its failures count', async () => {
    const result = await pollChecks([runConfig('exit 3')], context(), { timeoutMs: 20_000, intervalMs: 20, failureThreshold: 3 }, deps);
    expect(result).toMatchObject({ ok: false, ended: 'failure-threshold', attempts: 3 });
    expect(result.checks[0]).toMatchObject({ answered: true, inARow: 3, detail: 'exit 3' });
  });

  it('a run check that hangs until its own timeout has not answered: it is waited for until the poll timeout', async () => {
    const result = await pollChecks([runConfig('sleep 5', { timeoutMs: 100 })], context(), { timeoutMs: 2000, intervalMs: 20, failureThreshold: 2 }, deps);
    expect(result).toMatchObject({ ok: false, ended: 'never-answered' });
    expect(result.attempts).toBeGreaterThan(2);
    expect(result.checks[0]).toMatchObject({ answered: false });
  });

  it('without a failure threshold (health after a rollback) only the timeout ends the poll', async () => {
    const server = track(await startHttpServer(answer(500)));
    const result = await pollChecks([httpConfig(server.url)], context(server.url), { timeoutMs: 600, intervalMs: 20 }, deps);
    expect(result).toMatchObject({ ok: false, ended: 'timeout' });
    expect(result.attempts).toBeGreaterThan(3);
    expect(result).not.toHaveProperty('failureThreshold');
  });
});
