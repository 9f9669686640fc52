// A config that can verify nothing is an error: each environment's gate needs at least one check (they also re-check
// a rollback), and a verify section needs probes or metrics (its metrics:normal gate compares what they measure before
// and after the deploy; smoke checks alone cannot judge it). Otherwise a gate could only pass without evidence.
import type { ConfigNode } from './config-node.js';
import type { PathProblem } from './problems.js';

/** Where each environment's gate finds its checks. */
export const GATE_CHECKS = {
  staging: { key: 'smoke', gate: 'staging:healthy' },
  production: { key: 'health', gate: 'production:healthy' },
} as const;

/** A gate with nothing to check could only pass without evidence, and a rollback could not be re-checked. */
export function checkGateHasChecks(name: keyof typeof GATE_CHECKS, environment: ConfigNode): PathProblem[] {
  const { key, gate } = GATE_CHECKS[name];
  const poll = environment.child(key);
  if ((poll?.child('checks')?.items().length ?? 0) > 0) return [];
  return [
    {
      path: (poll ?? environment).path,
      anchor: 'value',
      message:
        `${name} has no ${key} checks, so ${gate} could only pass without evidence and a rollback could not be re-checked: ` +
        `add ${key}.checks (e.g. [{ name: up, http: "\${url}/" }])`,
    },
  ];
}

/** Without probes or metrics, metrics:normal would pass on nothing measured, and "no anomalies" would be said about nothing. */
export function checkVerifyMeasures(verify: ConfigNode): PathProblem[] {
  if ((verify.child('probes')?.items().length ?? 0) > 0 || (verify.child('metrics')?.items().length ?? 0) > 0) return [];
  return [
    {
      path: verify.path,
      anchor: 'value',
      message:
        'verify has no probes, so metrics:normal has nothing to measure (no metrics either, and smoke checks alone cannot judge error rate or latency): ' +
        'add probes (URLs sampled before and after the deploy) or metrics (from Prometheus or a command), or remove the verify section',
    },
  ];
}
