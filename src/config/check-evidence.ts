// A config that can verify nothing is an error: each environment's gate needs at least one check (they also re-check
// a rollback), and a verify section needs probes or smoke checks. Otherwise a gate could only pass without evidence.
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

/** A verify section that can measure nothing would report "no anomalies" about nothing. */
export function checkVerifyMeasures(verify: ConfigNode): PathProblem[] {
  const count = (key: string) => verify.child(key)?.items().length ?? 0;
  if (count('probes') > 0 || count('smoke') > 0) return [];
  return [
    {
      path: verify.path,
      anchor: 'value',
      message: 'verify measures nothing: add probes (URLs sampled before and after the deploy) or smoke checks, or remove the verify section',
    },
  ];
}
