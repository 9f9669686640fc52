// A `prometheus:` metric: PromQL against the Prometheus HTTP API (`/api/v1/query_range`) over the before window
// [baselineFrom, deployStartedAt] (read once, then cached) and the after window [deployedAt, now], one point per
// verify interval. A query gives one value per step; `{errors, total}` gives the window's counts (the per-step values
// summed). Whatever goes wrong (down, slow, HTTP or PromQL errors, no series, several series, only NaN) is NoData with
// the reason, never a throw.
import type { MetricConfig, PrometheusConfig } from '../config/types.js';
import { expandText, type Placeholders } from '../exec/placeholders.js';
import type { HttpClient, HttpResponse } from '../exec/types.js';
import { isNoData, type MetricReading, type MetricSource, type VerifyTimes } from './source.js';
import type { MetricSamples, NoData } from './verdict.js';
import { expandQueryPlaceholders } from './window-placeholders.js';

export interface PrometheusSourceDeps {
  http: HttpClient;
  /** Where the header values are read from, at each query. */
  env: NodeJS.ProcessEnv;
  placeholders: Placeholders;
}

type Query = NonNullable<MetricConfig['prometheus']>;

/** The hint for an empty errors query: no failed request at all has no series either. */
const NO_ERRORS_HINT = 'if no request failed there is no series either: end the errors query with "or vector(0)"';

export function prometheusSource(
  metric: MetricConfig & { prometheus: Query },
  prometheus: PrometheusConfig,
  intervalMs: number,
  deps: PrometheusSourceDeps,
): MetricSource {
  const base = expandText(prometheus.url, deps.placeholders).replace(/\/+$/, '');
  const expand = (query: string): string => expandText(expandQueryPlaceholders(query, intervalMs), deps.placeholders);
  const query: Query =
    'query' in metric.prometheus ? { query: expand(metric.prometheus.query) } : { errors: expand(metric.prometheus.errors), total: expand(metric.prometheus.total) };
  let before: MetricSamples | undefined;

  const readWindow = async (from: number, to: number, signal: AbortSignal): Promise<MetricSamples | NoData> => {
    const sent = headerValues(prometheus.headersEnv, deps.env);
    if ('noData' in sent) return sent;
    const { headers } = sent;
    const range = (promql: string): Promise<number[] | NoData> =>
      queryRange(deps.http, { base, promql, from, to, stepMs: intervalMs, headers, timeoutMs: prometheus.timeoutMs }, signal);
    if ('query' in query) {
      const values = await range(query.query);
      return 'noData' in values ? values : { kind: 'values', values: values.map((value) => value * metric.scale) };
    }
    const [errors, total] = await Promise.all([range(query.errors), range(query.total)]);
    if ('noData' in errors) return { noData: `errors query: ${errors.noData}${errors.noData.includes('no series') ? ` (${NO_ERRORS_HINT})` : ''}` };
    if ('noData' in total) return { noData: `total query: ${total.noData}` };
    const counts = { events: Math.round(sum(errors)), total: Math.round(sum(total)) };
    if (counts.events > counts.total) {
      return { noData: `prometheus: ${counts.events} errors out of ${counts.total} requests: the errors and total queries do not count the same requests` };
    }
    return { kind: 'counts', ...counts };
  };

  return {
    name: metric.name,
    source: 'prometheus',
    unit: metric.unit,
    limit: metric.limit,
    minSamples: metric.minSamples,
    async read(times: VerifyTimes, signal: AbortSignal): Promise<MetricReading> {
      const [beforeReading, after] = await Promise.all([
        before ?? readWindow(times.baselineFrom, times.deployStartedAt, signal),
        readWindow(times.deployedAt, times.now, signal),
      ]);
      // The baseline window is over: a good reading of it never changes. A failed one is tried again next look.
      if (!isNoData(beforeReading)) before = beforeReading;
      return { before: beforeReading, after };
    },
  };
}

function headerValues(headersEnv: Record<string, string>, env: NodeJS.ProcessEnv): { headers: Record<string, string> } | NoData {
  const headers: Record<string, string> = {};
  for (const [header, name] of Object.entries(headersEnv)) {
    const value = env[name];
    if (!value) return { noData: `prometheus: header ${header} comes from the environment variable ${name}, which is not set` };
    headers[header] = value;
  }
  return { headers };
}

interface RangeRequest {
  base: string;
  promql: string;
  from: number;
  to: number;
  stepMs: number;
  headers: Record<string, string>;
  timeoutMs: number;
}

/**
 * The query evaluated at the end of each whole interval inside [from, to], so every point looks back over time
 * inside the window (`[${interval}]`), not across the deploy. A window shorter than one interval holds no point yet:
 * an empty list, which the judge calls too few samples.
 */
async function queryRange(http: HttpClient, request: RangeRequest, signal: AbortSignal): Promise<number[] | NoData> {
  const start = request.from + request.stepMs;
  if (start > request.to) return [];
  const params = new URLSearchParams({
    query: request.promql,
    start: seconds(start),
    end: seconds(request.to),
    step: seconds(request.stepMs),
  });
  const url = `${request.base}/api/v1/query_range?${params.toString()}`;
  if (signal.aborted) return { noData: 'prometheus: not queried, the verify stage was stopped' };
  const response = await unlessAborted(http({ url, method: 'GET', headers: request.headers, timeoutMs: request.timeoutMs }), signal);
  if (response === undefined) return { noData: 'prometheus: query abandoned, the verify stage was stopped' };
  if ('error' in response) return { noData: `prometheus at ${request.base}: ${response.error}` };
  return seriesValues(response);
}

/** The one series of a matrix answer, its NaN and infinite points left out (a rate over no traffic is NaN). */
function seriesValues(response: HttpResponse): number[] | NoData {
  let answer: PrometheusAnswer;
  try {
    answer = JSON.parse(response.body) as PrometheusAnswer;
  } catch {
    return { noData: `prometheus: HTTP ${response.status}, not a Prometheus API answer: ${snippet(response.body)}` };
  }
  if (answer?.status === 'error') return { noData: `prometheus: HTTP ${response.status}, ${answer.errorType ?? 'error'}: ${answer.error ?? 'no reason given'}` };
  if (response.status !== 200 || answer?.status !== 'success') {
    return { noData: `prometheus: HTTP ${response.status}, not a Prometheus API answer: ${snippet(response.body)}` };
  }
  const data = answer.data;
  if (data?.resultType !== 'matrix' || !Array.isArray(data.result)) {
    return { noData: `prometheus: expected a range vector (matrix), got ${String(data?.resultType)}` };
  }
  if (data.result.length === 0) return { noData: 'prometheus: the query returned no series (nothing matches its metric names and labels)' };
  if (data.result.length > 1) {
    return { noData: `prometheus: the query returned ${data.result.length} series; aggregate it to one (e.g. sum(...))` };
  }
  const points: unknown = data.result[0]?.values ?? [];
  // A Prometheus-compatible proxy may answer any shape: only [time, "value"] pairs are points.
  if (!Array.isArray(points) || !points.every((point) => Array.isArray(point) && point.length === 2)) {
    return { noData: `prometheus: the series' values are not [time, value] pairs: ${snippet(JSON.stringify(points))}` };
  }
  const values = points.map(([, value]) => Number(value)).filter((value) => Number.isFinite(value));
  if (points.length > 0 && values.length === 0) {
    return { noData: `prometheus: all ${points.length} values are NaN or infinite (e.g. a rate over no traffic)` };
  }
  return values;
}

interface PrometheusAnswer {
  status?: string;
  errorType?: string;
  error?: string;
  data?: { resultType?: string; result?: { metric?: Record<string, string>; values?: [number, string][] }[] };
}

/** The client has no abort of its own; a stopped stage does not wait out its timeout. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  return new Promise((resolve) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    void promise.then((value) => {
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    });
  });
}

function seconds(ms: number): string {
  return String(ms / 1000);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat || '(empty body)';
}
