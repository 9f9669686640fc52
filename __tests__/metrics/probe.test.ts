import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { realClock } from '../../src/exec/clock.js';
import { createHttpClient } from '../../src/exec/http-client.js';
import { countProbeRounds, sampleProbes, summarizeSamples } from '../../src/metrics/probe.js';
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

describe('sampleProbes', () => {
  it('requests every URL once per interval for the whole duration', async () => {
    await using server = await serve(() => ({ status: 200 }));
    const urls = [`${server.url}/`, `${server.url}/healthz`];
    const clock = manualClock();
    const started = clock.now();

    const samples = await sampleProbes(urls, client, { durationMs: 300, intervalMs: 50, clock, timeoutMs: 1000 });

    expect(countProbeRounds(300, 50)).toBe(6);
    expect(samples).toHaveLength(12);
    expect(samples.map((s) => s.at - started)).toEqual([0, 0, 50, 50, 100, 100, 150, 150, 200, 200, 250, 250]);
    expect(samples.filter((s) => s.url === urls[1])).toHaveLength(6);
    expect(samples.every((s) => s.ok && s.status === 200 && s.error === undefined)).toBe(true);
  });

  it('samples a healthy server over a real window on the real clock', async () => {
    await using server = await serve(() => ({ status: 200 }));
    const urls = [`${server.url}/`, `${server.url}/healthz`];

    const options = { durationMs: 300, intervalMs: 50, clock: realClock, timeoutMs: 1000 };
    const samples = await sampleProbes(urls, client, options);

    expect(samples.length % 2).toBe(0);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples.length).toBeLessThanOrEqual(12);
    expect(summarizeSamples(samples)).toMatchObject({ errors: 0, errorRate: 0 });
  });

  it('records 5xx answers as failed samples with their status', async () => {
    await using server = await serve((_path, n) => ({ status: n % 2 === 0 ? 200 : 500 }));

    const samples = await sampleProbes([`${server.url}/`], client, {
      durationMs: 400,
      intervalMs: 50,
      clock: manualClock(),
      timeoutMs: 1000,
    });

    expect(samples).toHaveLength(8);
    expect(samples.filter((s) => !s.ok)).toEqual(
      Array.from({ length: 4 }, () => expect.objectContaining({ ok: false, status: 500, error: 'HTTP 500' })),
    );
    expect(summarizeSamples(samples)).toMatchObject({ samples: 8, errors: 4, errorRate: 0.5 });
  });

  it('starts no round once the duration has passed, even when slow rounds fell behind', async () => {
    await using server = await serve(() => ({ status: 200 }));
    const clock = manualClock();
    // Each request takes 120ms of clock time: rounds start at 0, 120 and 240; at 360 the 300ms window is over.
    const slow: HttpClient = async (request) => {
      const response = await client(request);
      clock.advance(120);
      return response;
    };

    const samples = await sampleProbes([`${server.url}/`], slow, { durationMs: 300, intervalMs: 50, clock });

    expect(samples).toHaveLength(3);
  });

  it('counts redirects as healthy and unreachable URLs as failed with the reason', async () => {
    await using server = await serve(() => ({ status: 302 }));
    const closed = await serve(() => ({ status: 200 }));
    const closedUrl = `${closed.url}/`;
    await closed[Symbol.asyncDispose]();

    const samples = await sampleProbes([`${server.url}/`, closedUrl], client, {
      durationMs: 50,
      intervalMs: 50,
      clock: realClock,
      timeoutMs: 1000,
    });

    expect(samples).toEqual([
      expect.objectContaining({ ok: true, status: 302 }),
      expect.objectContaining({ url: closedUrl, ok: false, error: 'connection refused' }),
    ]);
  });

  it('records the latency of a slow server and a timeout as a failed sample', async () => {
    await using server = await serve((path) => ({ status: 200, delayMs: path === '/slow' ? 150 : 400 }));

    const samples = await sampleProbes([`${server.url}/slow`, `${server.url}/hang`], client, {
      durationMs: 50,
      intervalMs: 50,
      clock: realClock,
      timeoutMs: 300,
    });

    expect(samples[0]).toMatchObject({ ok: true, status: 200 });
    expect(samples[0]!.latencyMs).toBeGreaterThanOrEqual(140);
    expect(samples[1]).toMatchObject({ ok: false, error: 'timed out after 300ms' });
  });

  it('stops as soon as stop() says so', async () => {
    await using server = await serve(() => ({ status: 500 }));

    const samples = await sampleProbes([`${server.url}/`], client, {
      durationMs: 1000,
      intervalMs: 50,
      clock: realClock,
      timeoutMs: 1000,
      stop: (so) => so.filter((s) => !s.ok).length >= 3,
    });

    expect(samples).toHaveLength(3);
  });

  it('stops on abort and returns the samples taken so far', async () => {
    await using server = await serve(() => ({ status: 200 }));
    const controller = new AbortController();

    const samples = await sampleProbes([`${server.url}/`], client, {
      durationMs: 1000,
      intervalMs: 50,
      clock: realClock,
      timeoutMs: 1000,
      signal: controller.signal,
      stop: (so) => {
        if (so.length === 2) controller.abort();
        return false;
      },
    });

    expect(samples).toHaveLength(2);
  });

  it('takes no samples without URLs', async () => {
    expect(await sampleProbes([], client, { durationMs: 100, intervalMs: 50, clock: realClock })).toEqual([]);
  });
});

describe('countProbeRounds', () => {
  it.each([
    [600_000, 30_000, 20],
    [100, 30, 4],
    [90, 30, 3],
    [10, 30, 1],
    [0, 30, 1],
  ])('a window of %dms sampled every %dms holds %d rounds', (duration, interval, rounds) => {
    expect(countProbeRounds(duration, interval)).toBe(rounds);
  });
});

describe('summarizeSamples', () => {
  it('has no rates or latencies without samples', () => {
    expect(summarizeSamples([])).toEqual({ samples: 0, errors: 0 });
  });

  it('takes p50 and p95 by nearest rank over the latencies of all samples, failed ones included', () => {
    const samples = Array.from({ length: 20 }, (_, i) => sample(i + 1, i < 18));
    // Shuffled input: the order samples arrive in must not matter.
    samples.reverse();

    expect(summarizeSamples(samples)).toEqual({
      samples: 20,
      errors: 2,
      errorRate: 0.1,
      latencyP50Ms: 10,
      latencyP95Ms: 19,
    });
  });

  // Expected values computed independently with numpy's nearest-rank definition, for the same latencies:
  //   python3 -c "import numpy as np; lat=[((i*37)%101)+0.5 for i in range(N)];
  //               print(np.percentile(lat, 50, method='inverted_cdf'), np.percentile(lat, 95, method='inverted_cdf'))"
  // Sizes where p% of N is not a whole number tell rounding the rank up from rounding it down.
  it.each([
    [1, 0.5, 0.5],
    [2, 0.5, 37.5],
    [7, 37.5, 84.5],
    [13, 40.5, 94.5],
    [19, 47.5, 94.5],
    [21, 47.5, 94.5],
    [39, 50.5, 97.5],
    [101, 50.5, 95.5],
  ])('of %i samples, p50 and p95 are the nearest-rank values numpy gives (%d, %d)', (count, p50, p95) => {
    const samples = Array.from({ length: count }, (_, i) => sample(((i * 37) % 101) + 0.5));
    expect(summarizeSamples(samples)).toMatchObject({ latencyP50Ms: p50, latencyP95Ms: p95 });
  });

  it('takes the single latency as every percentile of one sample', () => {
    expect(summarizeSamples([sample(42)])).toMatchObject({ latencyP50Ms: 42, latencyP95Ms: 42 });
  });
});
