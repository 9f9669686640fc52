// A metric source measures one metric over the baseline and the post-deploy windows: the synthetic probes,
// Prometheus (PromQL query_range), or a command printing JSON. Sources never throw: an unreachable or malformed
// source answers NoData with the reason, and the judge turns that into a "no data" verdict, never a pass.
import type { MetricLimit, MetricSamples, MetricUnit, NoData } from './verdict.js';

/** Epoch milliseconds. */
export interface VerifyTimes {
  /** Start of the baseline window (production still on the previous release). */
  baselineFrom: number;
  /** The production deploy started: end of the baseline window. */
  deployStartedAt: number;
  /** Production is on the new release and healthy: start of the after window. */
  deployedAt: number;
  /** This look. */
  now: number;
}

export interface MetricReading {
  before: MetricSamples | NoData;
  after: MetricSamples | NoData;
}

export interface MetricSource {
  /** The metric's name (error-rate, latency-p95, …, or the config's own). */
  name: string;
  /** probes, prometheus, command. */
  source: string;
  unit: MetricUnit;
  limit: MetricLimit;
  /** Fewer samples on a side is inconclusive; absent: verify.min-samples. */
  minSamples?: number;
  /** Both windows as they stand at `times.now`. Never throws; aborting returns NoData for what was not read. */
  read(times: VerifyTimes, signal: AbortSignal): Promise<MetricReading>;
}

export function isNoData(samples: MetricSamples | NoData): samples is NoData {
  return 'noData' in samples;
}
