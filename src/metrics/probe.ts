// Synthetic probes, the default metric source: every interval, request each URL once in parallel and record what came
// back. Summaries turn a window of samples into the error rate and latency figures evaluate() judges.
import type { Clock, HttpClient } from '../exec/types.js';
import type { ProbeSample, WindowStats } from './types.js';

export interface ProbeOptions {
  durationMs: number;
  intervalMs: number;
  clock: Clock;
  /** Aborting ends the sampling after the round in flight; the samples so far are returned. */
  signal?: AbortSignal;
  /** Per-request limit (default 10s). */
  timeoutMs?: number;
  /** Called after each round; returning true ends the sampling early (e.g. the verdict is already certain). */
  stop?: (samples: ProbeSample[]) => boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Rounds a full window holds: one at the start, then one every interval while still inside the window. */
export function countProbeRounds(durationMs: number, intervalMs: number): number {
  if (durationMs <= 0 || intervalMs <= 0) return 1;
  return Math.ceil(durationMs / intervalMs);
}

/**
 * Rounds start at fixed offsets (0, interval, 2·interval, …) from the first, so a slow round delays only the next
 * one; no round starts once the duration has passed. Never throws: a failed request is a sample with an error.
 */
export async function sampleProbes(urls: string[], http: HttpClient, options: ProbeOptions): Promise<ProbeSample[]> {
  const { clock, signal } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const rounds = countProbeRounds(options.durationMs, options.intervalMs);
  const started = clock.now();
  const samples: ProbeSample[] = [];
  if (urls.length === 0) return samples;
  for (let round = 0; round < rounds; round += 1) {
    const due = started + round * options.intervalMs;
    const wait = due - clock.now();
    if (wait > 0) await sleepUnlessAborted(clock, wait, signal);
    if (signal?.aborted) break;
    if (round > 0 && clock.now() - started >= options.durationMs) break;
    samples.push(...(await Promise.all(urls.map((url) => probe(url, http, timeoutMs, clock)))));
    if (options.stop?.(samples)) break;
  }
  return samples;
}

/** Error rate over all samples; p50/p95 by nearest rank over the latencies of all samples, failed ones included. */
export function summarizeSamples(samples: ProbeSample[]): WindowStats {
  const errors = samples.filter((sample) => !sample.ok).length;
  if (samples.length === 0) return { samples: 0, errors: 0 };
  const latencies = samples.map((sample) => sample.latencyMs).sort((a, b) => a - b);
  return {
    samples: samples.length,
    errors,
    errorRate: errors / samples.length,
    latencyP50Ms: nearestRank(latencies, 50),
    latencyP95Ms: nearestRank(latencies, 95),
  };
}

async function probe(url: string, http: HttpClient, timeoutMs: number, clock: Clock): Promise<ProbeSample> {
  const at = clock.now();
  try {
    const response = await http({ url, method: 'GET', timeoutMs });
    if ('error' in response) return { url, ok: false, latencyMs: response.latencyMs, error: response.error, at };
    const ok = response.status >= 200 && response.status < 400;
    return {
      url,
      ok,
      status: response.status,
      latencyMs: response.latencyMs,
      ...(ok ? {} : { error: `HTTP ${response.status}` }),
      at,
    };
  } catch (error) {
    // The client contract says it never throws; a sample is still better than losing the whole window.
    const message = error instanceof Error ? error.message : String(error);
    return { url, ok: false, latencyMs: clock.now() - at, error: message, at };
  }
}

async function sleepUnlessAborted(clock: Clock, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return;
  try {
    await clock.sleep(ms, signal);
  } catch (error) {
    // A clock may reject its sleep on abort; the abort itself is handled by the caller.
    if (!signal?.aborted) throw error;
  }
}

/** Sorted ascending; the smallest value with at least p% of the values at or below it. */
function nearestRank(sorted: number[], percentile: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length));
  return sorted[rank - 1];
}
