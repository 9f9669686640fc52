// What an absent key means. Durations in milliseconds, as in DeployConfig. The schema's `default` annotations say
// the same for editors; __tests__/config/schema-sync.test.ts checks that writing a default out changes nothing.

export const CONFIG_DEFAULTS = {
  stateDir: '.meta-deploy',
  /** How long a run waits for the state directory's lock. */
  lockTimeoutMs: 15 * 60_000,
  targetName: 'default',
  buildTimeoutMs: 30 * 60_000,
  /** Tests and review checks: a hung test must not hang the deployment. */
  validateTimeoutMs: 30 * 60_000,
  secretsScan: true,
  provider: 'command',
  keep: 5,
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
    onInconclusive: 'pass',
    onNoData: 'rollback',
    probeRate: 5,
    probeConcurrency: 4,
    prometheusTimeoutMs: 10_000,
  },
  finalize: { tag: 'v${version}', release: true, changelog: true },
  approvals: 0,
} as const;
