// The probes as two metric sources: the error rate (failed of all probes, exact binomial test) and the latency
// (every probe's, Mann-Whitney U, p95 shown), each before (baseline) and after the deploy.
import type { VerifyConfig } from '../config/types.js';
import type { ProbeRun } from './probe.js';
import { errorCounts, latencyValues } from './probe.js';
import type { MetricReading, MetricSource } from './source.js';
import type { ProbeSample } from './types.js';
import type { MetricSamples, NoData } from './verdict.js';

/**
 * Below this latency, differences are timer and scheduler noise (a loopback answer in 0.4 ms vs 0.9 ms is not a
 * regression): the judge counts faster answers as this fast.
 */
export const LATENCY_NOISE_FLOOR_MS = 10;

export function probeSources(baseline: readonly ProbeSample[], after: ProbeRun, verify: VerifyConfig): MetricSource[] {
  const read = (measure: (samples: readonly ProbeSample[]) => MetricSamples) => async (): Promise<MetricReading> => ({
    before: baseline.length ? measure(baseline) : noProbes('no baseline probe samples (production was not probed before the deploy)'),
    after: after.samples.length ? measure(after.samples) : noProbes('0 probe samples after the deploy'),
  });
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

function noProbes(reason: string): NoData {
  return { noData: reason };
}
