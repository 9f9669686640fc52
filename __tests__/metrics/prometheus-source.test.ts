// The Prometheus metric source against a real Prometheus (the Debian binary, one for the whole file) scraping a
// loopback service instrumented with prom-client every second: the five README recipes read both windows, an
// error-rate rise shows in the counts, and every way a query can go wrong is NoData with the reason. Down, slow and
// auth are loopback stand-ins, since a real Prometheus cannot be made to misbehave on cue.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { formatProblem } from '../../src/config/problems.js';
import type { VerifyConfig } from '../../src/config/types.js';
import { createHttpClient } from '../../src/exec/http-client.js';
import type { Placeholders } from '../../src/exec/placeholders.js';
import type { ProcessRunner } from '../../src/exec/types.js';
import type { MetricReading, VerifyTimes } from '../../src/metrics/source.js';
import { metricSourcesFor } from '../../src/metrics/sources-for.js';
import { startHttpServer } from '../checks/scripted-server.js';
import { startInstrumentedService, type InstrumentedService } from '../support/instrumented-service.js';
import { freePort } from '../support/platform.js';
import { PROMETHEUS_RECIPES as RECIPES, startPrometheus, type Prometheus } from '../support/prometheus.js';

/** The verify interval of these tests: two scrapes, so every `[${interval}]` range holds at least two samples. */
const INTERVAL = '2s';
const WINDOW_MS = 8000;

const PLACEHOLDERS: Placeholders = { target: 'default', version: '1.2.0', environment: 'production', url: '', snapshot: '', previous_version: '1.1.0', sha: '' };
const noRunner: ProcessRunner = () => Promise.reject(new Error('no command metric here'));

/** verify.metrics as a user writes them, through the real config loader. */
function verifyConfig(section: string): VerifyConfig {
  const text = `version: 1
environments:
  production: { deploy: ./deploy.sh, rollback: ./rollback.sh, health: { checks: [{ name: up, run: ./up.sh }] } }
verify:
  interval: ${INTERVAL}
${section}`;
  const result = parseConfig(text, 'meta-deploy.yml');
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  const verify = result.config.targets['default']?.verify;
  if (verify === undefined) throw new Error('no verify section');
  return verify;
}

function read(section: string, times: VerifyTimes, env: NodeJS.ProcessEnv = {}): Promise<MetricReading[]> {
  const sources = metricSourcesFor(verifyConfig(section), { http: createHttpClient(), runner: noRunner, env, placeholders: PLACEHOLDERS, workspace: '.' });
  return Promise.all(sources.map((source) => source.read(times, new AbortController().signal)));
}


describe('the prometheus source against a real Prometheus', () => {
  let service: InstrumentedService;
  let prometheus: Prometheus;
  let times: VerifyTimes;
  const section = (metrics: string) => `  prometheus: { url: "${prometheus.url}" }\n${metrics}`;

  beforeAll(async () => {
    service = await startInstrumentedService({ latencyMs: 2 });
    prometheus = await startPrometheus({ targets: [service.target] });
    const stopTraffic = service.driveTraffic(50);
    try {
      await prometheus.waitForSeries('http_requests_total', 30_000);
      // Before: healthy. After: one request in five fails, and each takes longer.
      const baselineFrom = Date.now();
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
      const deployedAt = Date.now();
      service.behave({ errorRate: 0.2, latencyMs: 30 });
      await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
      times = { baselineFrom, deployStartedAt: deployedAt, deployedAt, now: Date.now() };
      // The last interval's scrape lands in the storage.
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      await stopTraffic();
    }
  }, 90_000);

  afterAll(async () => {
    await prometheus?.[Symbol.asyncDispose]();
    await service?.[Symbol.asyncDispose]();
  });

  test('the five recipes read values for the before and after windows, one per interval', async () => {
    const [errorRate, latency, throughput, memory, cpu] = await read(section(RECIPES), times);
    for (const reading of [latency, throughput, memory, cpu]) {
      expect(reading?.before).toMatchObject({ kind: 'values' });
      expect(reading?.after).toMatchObject({ kind: 'values' });
      // An 8 s window at a 2 s interval: a point at the end of each whole interval (3 or 4, depending on the scrape).
      for (const side of [reading?.before, reading?.after]) expect(side && 'values' in side && side.values.length).toBeGreaterThanOrEqual(3);
    }
    const values = (side: MetricReading['before'] | undefined): number[] => (side && 'values' in side ? side.values : []);
    // Latency in ms (the query gives seconds): a few ms before (a busy machine may stretch some), 30 ms or more after.
    expect(median(values(latency?.before))).toBeLessThan(25);
    expect(Math.min(...values(latency?.after))).toBeGreaterThan(25);
    // 50 requests a second, give or take the timer's drift and the extrapolation at range edges.
    for (const value of [...values(throughput?.before), ...values(throughput?.after)]) expect(value).toBeGreaterThan(20);
    for (const value of values(memory?.before)) expect(value).toBeGreaterThan(10 * 1024 * 1024);
    for (const value of values(cpu?.after)) expect(value).toBeGreaterThanOrEqual(0);
    expect(errorRate?.before).toMatchObject({ kind: 'counts' });
  });

  test('an error-rate rise shows in the counts: none before, about one in five after', async () => {
    const [reading] = await read(section(RECIPES), times);
    const before = reading?.before;
    const after = reading?.after;
    if (!before || !after || !('events' in before) || !('events' in after)) throw new Error(`expected counts, got ${JSON.stringify(reading)}`);
    expect(before.events).toBe(0);
    // About 50 requests a second over the window's whole intervals.
    expect(before.total).toBeGreaterThan(150);
    expect(after.total).toBeGreaterThan(150);
    expect(after.events / after.total).toBeGreaterThan(0.12);
    expect(after.events / after.total).toBeLessThan(0.3);
  });

  test('a query that matches nothing, several series, bad PromQL and only NaN are each NoData with the reason', async () => {
    const readings = await read(
      section(`  metrics:
    - { name: nothing, prometheus: 'sum(no_such_metric_total)', max-ratio: 2 }
    - { name: by-code, prometheus: 'http_requests_total', max-ratio: 2 }
    - { name: broken, prometheus: 'sum(rate(http_requests_total[\${interval}])', max-ratio: 2 }
    - { name: nan, prometheus: 'vector(0) / vector(0)', max-ratio: 2 }
    - name: no-errors-series
      prometheus: { errors: 'sum(increase(http_requests_total{code="418"}[\${interval}]))', total: 'sum(increase(http_requests_total[\${interval}]))' }
`),
      times,
    );
    const reasons = readings.map((reading) => reading.after);
    expect(reasons[0]).toEqual({ noData: 'prometheus: the query returned no series (nothing matches its metric names and labels)' });
    expect(reasons[1]).toEqual({ noData: 'prometheus: the query returned 2 series; aggregate it to one (e.g. sum(...))' });
    expect(reasons[2]).toMatchObject({ noData: expect.stringMatching(/^prometheus: HTTP 400, bad_data: .*parse error/) });
    expect(reasons[3]).toMatchObject({ noData: expect.stringMatching(/^prometheus: all \d+ values are NaN or infinite/) });
    expect(reasons[4]).toMatchObject({ noData: expect.stringContaining('errors query: prometheus: the query returned no series') });
    expect(reasons[4]).toMatchObject({ noData: expect.stringContaining('or vector(0)') });
  });

  test('an after window shorter than one interval has no point yet: no samples, not a failure', async () => {
    const [, latency] = await read(section(RECIPES), { ...times, now: times.deployedAt + 1000 });
    expect(latency?.after).toEqual({ kind: 'values', values: [] });
  });
});

describe('the prometheus source when Prometheus misbehaves', () => {
  const times: VerifyTimes = { baselineFrom: Date.now() - 60_000, deployStartedAt: Date.now() - 30_000, deployedAt: Date.now() - 20_000, now: Date.now() };
  const throughput = (url: string, extra = '') => `  prometheus: { url: "${url}", timeout: 500ms${extra} }
  metrics: [{ name: throughput, prometheus: 'sum(rate(http_requests_total[\${interval}]))' }]
`;

  test('down: NoData "connection refused" for both windows', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const [reading] = await read(throughput(url), times);
    expect(reading).toEqual({ before: { noData: `prometheus at ${url}: connection refused` }, after: { noData: `prometheus at ${url}: connection refused` } });
  });

  test('slow: a server that never answers is NoData "timed out" at the configured timeout, not a hang', async () => {
    const server = await startHttpServer(() => undefined);
    try {
      const started = Date.now();
      const [reading] = await read(throughput(server.url), times);
      expect(reading?.after).toEqual({ noData: `prometheus at ${server.url}: timed out after 500ms` });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await server.close();
    }
  });

  test('a proxy answering HTML is NoData naming the status, not a crash', async () => {
    const server = await startHttpServer((_request, response) => response.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad Gateway</html>'));
    try {
      const [reading] = await read(throughput(server.url), times);
      expect(reading?.after).toEqual({ noData: 'prometheus: HTTP 502, not a Prometheus API answer: <html>Bad Gateway</html>' });
    } finally {
      await server.close();
    }
  });

  test('an HTTP error with a success body is NoData naming the status: only a 200 is an answer', async () => {
    const server = await startHttpServer((_request, response) =>
      response.writeHead(500, { 'content-type': 'application/json' }).end('{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"2"]]}]}}'),
    );
    try {
      const [reading] = await read(throughput(server.url), times);
      expect(reading?.after).toEqual({ noData: expect.stringMatching(/^prometheus: HTTP 500, not a Prometheus API answer/) });
    } finally {
      await server.close();
    }
  });

  test('a proxy answering the right envelope with malformed points is NoData, not a crash', async () => {
    const server = await startHttpServer((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[null,[1,"2"]]}]}}'),
    );
    try {
      const [reading] = await read(throughput(server.url), times);
      expect(reading?.after).toEqual({ noData: expect.stringMatching(/^prometheus: the series' values are not \[time, value\] pairs: \[null/) });
    } finally {
      await server.close();
    }
  });

  test('auth: each header is sent with the value of its environment variable; a missing variable is NoData naming it', async () => {
    const seen: (string | undefined)[] = [];
    const server = await startHttpServer((request, response) => {
      seen.push(request.headers.authorization);
      if (request.headers.authorization !== 'Bearer tok-5f2a') return void response.writeHead(401).end('{"status":"error","errorType":"unauthorized","error":"bad token"}');
      const query = new URL(request.url ?? '/', 'http://x').searchParams;
      const start = Number(query.get('start'));
      const body = { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[start, '42'], [start + 2, '44']] }] } };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    try {
      const config = throughput(server.url, ', headers: { Authorization: PROM_AUTH }');
      const [reading] = await read(config, times, { PROM_AUTH: 'Bearer tok-5f2a' });
      expect(reading).toEqual({ before: { kind: 'values', values: [42, 44] }, after: { kind: 'values', values: [42, 44] } });
      expect(seen).toEqual(['Bearer tok-5f2a', 'Bearer tok-5f2a']);
      const [unset] = await read(config, times, {});
      expect(unset?.after).toEqual({ noData: 'prometheus: header Authorization comes from the environment variable PROM_AUTH, which is not set' });
      const [wrong] = await read(config, times, { PROM_AUTH: 'Bearer other' });
      expect(wrong?.after).toEqual({ noData: 'prometheus: HTTP 401, unauthorized: bad token' });
    } finally {
      await server.close();
    }
  });

  test('a baseline read successfully is not queried again at the next look', async () => {
    let requests = 0;
    const server = await startHttpServer((request, response) => {
      requests += 1;
      const start = Number(new URL(request.url ?? '/', 'http://x').searchParams.get('start'));
      const body = { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[start, '1']] }] } };
      response.writeHead(200).end(JSON.stringify(body));
    });
    try {
      const verify = verifyConfig(throughput(server.url));
      const [source] = metricSourcesFor(verify, { http: createHttpClient(), runner: noRunner, env: {}, placeholders: PLACEHOLDERS, workspace: '.' });
      const signal = new AbortController().signal;
      await source?.read(times, signal);
      await source?.read({ ...times, now: times.now + 2000 }, signal);
      expect(requests).toBe(3);
    } finally {
      await server.close();
    }
  });
});

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
