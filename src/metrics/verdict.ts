// The judge's vocabulary: what one metric measured before and after the deploy, the limit it is held to, and the
// verdict with its evidence. The judge (judge.ts) maps samples + limit + look to a MetricVerdict; sources produce
// MetricSamples; reports render MetricVerdicts. Nothing here does I/O.

/**
 * What a source measured over one window. `values`: one figure per sample (probe latencies in ms, or one value per
 * Prometheus step), compared by distribution (Mann-Whitney U). `counts`: events out of a total (failed requests of
 * all requests), compared by an exact binomial test.
 */
export type MetricSamples = { kind: 'values'; values: number[] } | { kind: 'counts'; events: number; total: number };

/** A window that could not be measured, and why ("prometheus: connection refused", "0 probe samples"). */
export interface NoData {
  noData: string;
}

/**
 * How far the after window may move from the before window before the change matters in practice.
 * max-ratio: higher is worse (latency, memory, CPU); values at or below `floor` count as `floor` (timer noise).
 * min-ratio: lower is worse (throughput). rate: counts only; the after rate may exceed neither `max` nor the
 * before rate + `maxIncrease`.
 */
export type MetricLimit =
  | { kind: 'max-ratio'; ratio: number; floor?: number }
  | { kind: 'min-ratio'; ratio: number }
  | { kind: 'rate'; max: number; maxIncrease: number };

/** One look at the data during the window (sequential design: each look spends part of the error budget). */
export interface Look {
  /** verify.confidence (default 0.98): the whole window's false-rollback budget per metric is 1 − confidence. */
  confidence: number;
  /** Fewer samples than this on either side (after only, for an absolute rate limit) is inconclusive. */
  minSamples: number;
  /** Share of the window elapsed at this look, in (0, 1]; 1 is the final look. */
  fraction: number;
  /** Share elapsed at the previous look (0 at the first). */
  previousFraction: number;
  /** Nothing ran before this deploy: a relative limit that has no baseline does not hold a rate back from passing. */
  firstDeployment?: boolean;
}

export type MetricStatus = 'pass' | 'fail' | 'inconclusive' | 'no-data';

export type MetricUnit = 'ratio' | 'ms' | 'rps' | 'bytes' | 'percent' | 'value';

/** One metric's verdict and everything needed to explain it. */
export interface MetricVerdict {
  /** error-rate, latency-p95, throughput, memory, cpu, or a name from the config. */
  name: string;
  /** Where the figures came from: probes, prometheus, command. */
  source: string;
  unit: MetricUnit;
  status: MetricStatus;
  /** Mann-Whitney U (values), exact binomial (counts), or none when there was nothing to test. */
  test: 'mann-whitney-u' | 'binomial-exact' | 'none';
  /** Shown figure of each side: p95 of values (the median for a min-ratio limit), events/total of counts; absent when not measured. */
  before: { samples: number; value?: number };
  after: { samples: number; value?: number };
  /** "max ×1.5 of before", "max 1% and before + 0.5%". */
  limit: string;
  /** One-sided p-value of "the change is beyond the limit"; absent without a test. */
  pValue?: number;
  /** 1 − pValue: how sure the judge is that the limit is crossed. */
  confidenceReached?: number;
  /** The error budget this look spent (the p-value had to be below it to fail). */
  alpha?: number;
  /** One line a person can act on: "latency p95 31ms → 62ms (×2.00 > ×1.5), 98.9% sure (needed 98%)". */
  reason: string;
}
