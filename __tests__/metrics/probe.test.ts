import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { realClock } from '../../src/exec/clock.js';
import { createHttpClient } from '../../src/exec/http-client.js';
import { errorCounts, latencyValues } from '../../src/metrics/probe-sources.js';
import { startProbing } from '../../src/metrics/probe.js';
import type { Clock, HttpClient } from '../../src/exec/types.js';
import type { ProbeSample } from '../../src/metrics/types.js';

const client = createHttpClient();

/** A loopback server answering each request with `respond(n)` (n counts requests per path from 0). */
async function serve(
  respond: (path: string, n: number) => { status: number; delayMs?: number },
): Promise<{ url: string; [Symbol.asyncDispose](): Promise<void> }> {
  const counts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const n = counts.get(path) ?? 0;
    counts.set(path, n + 1);
    const { status, delayMs = 0 } = respond(path, n);
    setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end('ok'), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    [Symbol.asyncDispose]: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Time that passes only when slept through (or advanced), so round counts do not depend on machine load. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1_000_000;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

const sample = (latencyMs: number, ok = true): ProbeSample => ({ url: 'http://x/', ok, latencyMs, at: 0 });

/** Probes until `count` answers came back, then stops. */
async function probeUntil(urls: string[], http: HttpClient, count: number, options: { rate: number; concurrency: number; clock: Clock; timeoutMs?: number }) {
  let stop: (() => void) | undefined;
  const enough = new Promise<void>((resolve) => (stop = resolve));
  const counting: HttpClient = async (request) => {
    const response = await http(request);
    // Stop on the next turn: by then this answer is among the samples.
    if (++answered >= count) setTimeout(() => stop?.(), 0);
    return response;
  };
  let answered = 0;
  const run = startProbing(urls, counting, options);
  await enough;
  return run.stop();
}

describe('startProbing', () => {
  it('requests the URLs round robin at the rate, one request every 1000/rate ms', async () => {
    await using server = await serve(() => ({ status: 200 }));
    const urls = [`${server.url}/`, `${server.url}/healthz`];
    const clock = manualClock();
    const started = clock.now();

    const samples = await probeUntil(urls, client, 6, { rate: 20, concurrency: 1, clock, timeoutMs: 1000 });

    expect(samples.slice(0, 6).map((s) => s.at - started)).toEqual([0, 50, 100, 150, 200, 250]);
    expect(samples.slice(0, 6).map((s) => s.url)).toEqual([urls[0], urls[1], urls[0], urls[1], urls[0], urls[1]]);
    expect(samples.every((s) => s.ok && s.status === 200 && s.error === undefined)).toBe(true);
  });

  it('keeps at most `concurrency` requests in flight; a slow service lowers the rate instead of piling up', async () => {
    let inFlight = 0;
    let most = 0;
    const server = http.createServer((_req, res) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        res.end('ok');
      }, 100);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const samples = await probeUntil([url], client, 8, { rate: 1000, concurrency: 2, clock: realClock, timeoutMs: 1000 });
      expect(samples.length).toBeGreaterThanOrEqual(8);
      expect(most).toBe(2);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('records 5xx answers as failed samples with their status', async () => {
    await using server = await serve((_path, n) => ({ status: n % 2 === 0 ? 200 : 500 }));

    const samples = await probeUntil([`${server.url}/`], client, 8, { rate: 1000, concurrency: 1, clock: manualClock(), timeoutMs: 1000 });

    expect(samples.filter((s) => !s.ok)).toEqual(
      Array.from({ length: samples.filter((s) => !s.ok).length }, () => expect.objectContaining({ ok: false, status: 500, error: 'HTTP 500' })),
    );
    expect(errorCounts(samples)).toEqual({ kind: 'counts', events: Math.floor(samples.length / 2), total: samples.length });
  });

  it('counts a 404 as a failed probe: a page that is gone is an error', async () => {
    await using server = await serve(() => ({ status: 404 }));
    const samples = await probeUntil([`${server.url}/`], client, 1, { rate: 1000, concurrency: 1, clock: realClock, timeoutMs: 1000 });
    expect(samples[0]).toMatchObject({ ok: false, status: 404, error: 'HTTP 404' });
  });

  it('counts redirects as healthy and unreachable URLs as failed with the reason', async () => {
    await using server = await serve(() => ({ status: 302 }));
    const closed = await serve(() => ({ status: 200 }));
    const closedUrl = `${closed.url}/`;
    await closed[Symbol.asyncDispose]();

    const samples = await probeUntil([`${server.url}/`, closedUrl], client, 2, { rate: 1000, concurrency: 1, clock: realClock, timeoutMs: 1000 });

    expect(samples.slice(0, 2)).toEqual([
      expect.objectContaining({ ok: true, status: 302 }),
      expect.objectContaining({ url: closedUrl, ok: false, error: 'connection refused' }),
    ]);
  });

  it('records the latency of a slow server and a timeout as a failed sample', async () => {
    await using server = await serve((path) => ({ status: 200, delayMs: path === '/slow' ? 150 : 400 }));

    const samples = await probeUntil([`${server.url}/slow`, `${server.url}/hang`], client, 2, { rate: 1000, concurrency: 2, clock: realClock, timeoutMs: 300 });

    const slow = samples.find((s) => s.url.endsWith('/slow'));
    expect(slow).toMatchObject({ ok: true, status: 200 });
    expect(slow!.latencyMs).toBeGreaterThanOrEqual(140);
    expect(samples.find((s) => s.url.endsWith('/hang'))).toMatchObject({ ok: false, error: 'timed out after 300ms' });
  });

  it('stop() ends the probing at once: a hung request does not delay it, and answers after it are dropped', async () => {
    await using server = await serve(() => ({ status: 200, delayMs: 300 }));
    const run = startProbing([`${server.url}/`], client, { rate: 1000, concurrency: 3, clock: realClock, timeoutMs: 1000 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = Date.now();

    const samples = await run.stop();

    expect(Date.now() - started).toBeLessThan(250);
    expect(samples).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(run.samples).toHaveLength(0);
  });

  it('takes no samples without URLs', async () => {
    expect(await startProbing([], client, { rate: 10, concurrency: 1, clock: realClock }).stop()).toEqual([]);
  });
});

describe('probe figures', () => {
  it('count failed probes of all probes, and keep every latency, failed ones included', () => {
    const samples = [sample(12), sample(30, false), sample(8)];
    expect(errorCounts(samples)).toEqual({ kind: 'counts', events: 1, total: 3 });
    expect(latencyValues(samples)).toEqual({ kind: 'values', values: [12, 30, 8] });
  });
});
