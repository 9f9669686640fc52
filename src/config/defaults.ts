// What an absent key means. Durations in milliseconds, as in DeployConfig. The schema's `default` annotations say
// the same for editors; __tests__/config/schema-sync.test.ts checks that writing a default out changes nothing.
import type { MetricLimit } from '../metrics/verdict.js';

export const CONFIG_DEFAULTS = {
  stateDir: '.meta-deploy',
  /** How long a run waits for the state directory's lock. */
  lockTimeoutMs: 15 * 60_000,
  targetName: 'default',
  buildTimeoutMs: 30 * 60_000,
  /** Tests and review checks: a hung test must not hang the deployment. */
  validateTimeoutMs: 30 * 60_000,
  secretsScan: true,
  verifyBeforeDeploy: 'full',
  /** Binary artifacts (images, fonts) are common and no text rule applies to them: listed and warned about, not failing. */
  unscanned: 'warn' as const,
  provider: 'command',
  keep: 5,
  /** build.upload.name, placeholders filled in at upload. */
  uploadName: 'meta-deploy-${target}-${version}',
  commandTimeoutMs: 10 * 60_000,
  stagingSmoke: { timeoutMs: 300_000, intervalMs: 5000 },
  productionHealth: { timeoutMs: 60_000, intervalMs: 2000 },
  /** Both polls: a check that has answered and then fails this many times in a row fails the poll at once (as a Kubernetes probe). */
  pollFailureThreshold: 3,
  /** Both polls: rounds in a row that every check must pass. */
  pollSuccessThreshold: 1,
  checkStatus: 200,
  checkTimeoutMs: 10_000,
  verify: {
    windowMs: 600_000,
    intervalMs: 30_000,
    errorRate: { max: 0.01, maxIncrease: 0.005 },
    latencyP95: { maxRatio: 1.5 },
    confidence: 0.98,
    minSamples: 20,
    /** A Prometheus or command metric of values: one point per interval, each summing that interval's traffic. */
    pointMinSamples: 3,
    onInconclusive: 'pass',
    onNoData: 'rollback',
    probeRate: 5,
    probeConcurrency: 4,
    prometheusTimeoutMs: 10_000,
    metricCommandTimeoutMs: 30_000,
  },
  finalize: { tag: 'v${version}', release: true, changelog: true },
  approvals: 0,
  noPullRequest: 'fail',
} as const;

/** A metric `verify.metrics` may name without a unit or limit. */
export interface SeedMetric {
  /** As written in the config: `s` is shown in ms. */
  unit: 'ratio' | 's' | 'rps' | 'bytes' | 'value';
  /** Absent: error-rate takes verify.error-rate's limits, latency-p95 verify.latency-p95's. */
  limit?: MetricLimit;
}

/**
 * The seed's verify metrics, with the unit and limit they have when `verify.metrics` names them without one.
 * Prometheus measures time in seconds, so latency-p95 is in seconds (shown in ms) unless a unit is written.
 */
export const SEED_METRICS = {
  'error-rate': { unit: 'ratio' },
  'latency-p95': { unit: 's' },
  throughput: { unit: 'rps', limit: { kind: 'min-ratio', ratio: 0.5 } },
  memory: { unit: 'bytes', limit: { kind: 'max-ratio', ratio: 1.5 } },
  cpu: { unit: 'value', limit: { kind: 'max-ratio', ratio: 1.5 } },
} satisfies Record<string, SeedMetric>;

export type SeedMetricName = keyof typeof SEED_METRICS;
