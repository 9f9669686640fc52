// Checks what the user passed (action inputs or CLI flags) before anything runs. A bad value is a usage error
// (exit 2) that quotes the value safely — JSON-escaped, so newlines or escape codes cannot forge log lines.
import semver from 'semver';
import type { DeployConfig, EnvironmentName } from '../config/types.js';

export interface RawInputs {
  target?: string;
  version?: string;
  environments?: string;
  dryRun?: boolean;
}

export interface RunInputs {
  target: string;
  /** Normalised (`v1.2.3` → `1.2.3`); undefined = compute it. */
  version?: string;
  environments: EnvironmentName[];
  dryRun: boolean;
}

export type InputsResult = { ok: true; inputs: RunInputs } | { ok: false; error: string };

const ENVIRONMENT_ORDER: EnvironmentName[] = ['staging', 'production'];
export const DEFAULT_ENVIRONMENTS = 'staging,production';

export function quoteValue(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value);
}

/** The named target (default: the first configured one), or a usage error naming the configured targets. */
export function chooseTarget(requested: string | undefined, config: DeployConfig): { ok: true; target: string } | { ok: false; error: string } {
  const target = requested?.trim() || config.targetNames[0];
  if (target && config.targets[target]) return { ok: true, target };
  return { ok: false, error: `target ${quoteValue(requested ?? '')} is not configured in ${config.file} (targets: ${config.targetNames.join(', ')})` };
}

export function resolveInputs(raw: RawInputs, config: DeployConfig): InputsResult {
  const chosen = chooseTarget(raw.target, config);
  if (!chosen.ok) return chosen;
  const { target } = chosen;
  let version: string | undefined;
  if (raw.version?.trim()) {
    version = semver.valid(raw.version.trim().replace(/^v/, '')) ?? undefined;
    if (!version) return { ok: false, error: `version ${quoteValue(raw.version)} is not a semantic version (e.g. 1.2.3)` };
  }
  const configured = config.targets[target]!.environments;
  // The action's default ("staging,production") means "every configured one", like no value at all.
  const explicit = raw.environments?.replace(/\s/g, '') !== DEFAULT_ENVIRONMENTS && raw.environments?.trim();
  const requested = (raw.environments?.trim() || DEFAULT_ENVIRONMENTS).split(',').map((name) => name.trim()).filter(Boolean);
  for (const name of requested) {
    if (!ENVIRONMENT_ORDER.includes(name as EnvironmentName)) {
      return { ok: false, error: `environment ${quoteValue(name)} is not one of: ${ENVIRONMENT_ORDER.join(', ')}` };
    }
  }
  // "staging,production" by default, but only those the target configures; an explicit request must be configured.
  const environments = ENVIRONMENT_ORDER.filter((name) => requested.includes(name) && (configured[name] || explicit));
  for (const name of environments) {
    if (!configured[name]) return { ok: false, error: `environment ${quoteValue(name)} is not configured for target ${quoteValue(target)}` };
  }
  if (environments.length === 0) return { ok: false, error: 'no environment to deploy to' };
  return { ok: true, inputs: { target, version, environments, dryRun: raw.dryRun ?? false } };
}
