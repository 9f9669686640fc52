// The probes as two metric sources: the error rate (failed of all probes, exact binomial test) and the latency
// (every probe's, Mann-Whitney U, p95 shown), each before (baseline) and after the deploy.
import type { VerifyConfig } from '../config/types.js';
import type { ProbeRun } from './probe.js';
import type { MetricReading, MetricSource } from './source.js';
import type { ProbeSample } from './types.js';
import type { MetricSamples, NoData } from './verdict.js';

/**
 * Below this latency, differences are timer and scheduler noise (a loopback answer in 0.4 ms vs 0.9 ms is not a
 * regression): the judge counts faster answers as this fast.
 */
export const LATENCY_NOISE_FLOOR_MS = 10;

export function probeSources(baseline: readonly ProbeSample[], after: ProbeRun, verify: VerifyConfig): MetricSource[] {
  const read = (measure: (samples: readonly ProbeSample[]) => MetricSamples) => {
    // The baseline is over before verify starts: its figures are made once, so the judge sorts them once.
    const before = baseline.length ? measure(baseline) : noProbes('no baseline probe samples (production was not probed before the deploy)');
    return async (): Promise<MetricReading> => ({
      before,
      after: after.samples.length ? measure(after.samples) : noProbes('0 probe samples after the deploy'),
    });
  };
  return [
    {
      name: 'error-rate',
      source: 'probes',
      unit: 'ratio',
      limit: { kind: 'rate', max: verify.errorRate.max, maxIncrease: verify.errorRate.maxIncrease },
      read: read(errorCounts),
    },
    {
      name: 'latency-p95',
      source: 'probes',
      unit: 'ms',
      limit: { kind: 'max-ratio', ratio: verify.latencyP95.maxRatio, floor: LATENCY_NOISE_FLOOR_MS },
      read: read(latencyValues),
    },
  ];
}

/** Failed probes of all probes, for the exact rate test. */
export function errorCounts(samples: readonly ProbeSample[]): MetricSamples {
  return { kind: 'counts', events: samples.filter((sample) => !sample.ok).length, total: samples.length };
}

/** Every probe's latency (failed ones included: a slow failure is slow), for Mann-Whitney U. */
export function latencyValues(samples: readonly ProbeSample[]): MetricSamples {
  return { kind: 'values', values: samples.map((sample) => sample.latencyMs) };
}

function noProbes(reason: string): NoData {
  return { noData: reason };
}
