// Everything that must hold before any command runs: the config loads and validates, the inputs name a configured
// target and a semantic version. A problem here is a usage error (exit 2).
import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { formatProblem, type ConfigProblem } from '../config/problems.js';
import type { DeployConfig } from '../config/types.js';
import { git } from '../exec/git.js';
import { resolveInputs, type RawInputs } from './inputs.js';
import { planDeploy, type PlanContext } from './plan-deploy.js';
import type { DeployPlan } from './types.js';

export const DEFAULT_CONFIG = '.github/meta-deploy.yml';

/** `history` and `previousVersion`: the GitHub API's answers, when the action has a token (default: local only). */
export interface RunRequest extends RawInputs, Pick<PlanContext, 'history' | 'previousVersion'> {
  configFile?: string;
  workspace: string;
  ref?: string;
  sha?: string;
}

/** A failure carries the config's located problems when the config is what failed (for per-problem annotations). */
export type Prepared<T> = { ok: true; value: T } | { ok: false; message: string; problems?: ConfigProblem[] };

export async function loadRequestedConfig(workspace: string, configFile: string | undefined): Promise<Prepared<DeployConfig>> {
  const loaded = await loadConfig(resolve(workspace, configFile || DEFAULT_CONFIG));
  if (!loaded.ok) return { ok: false, message: loaded.problems.map(formatProblem).join('\n'), problems: loaded.problems };
  return { ok: true, value: loaded.config };
}

export async function prepareRun(request: RunRequest): Promise<Prepared<{ config: DeployConfig; plan: DeployPlan }>> {
  const config = await loadRequestedConfig(request.workspace, request.configFile);
  if (!config.ok) return config;
  const inputs = resolveInputs(request, config.value);
  if (!inputs.ok) return { ok: false, message: inputs.error };
  const head = request.sha ? undefined : await git(['rev-parse', 'HEAD'], request.workspace);
  const sha = request.sha || (head?.ok ? head.stdout.trim() : undefined);
  const plan = await planDeploy(config.value, inputs.inputs, {
    workspace: request.workspace,
    ref: request.ref,
    sha,
    ...(request.history ? { history: request.history } : {}),
    ...(request.previousVersion ? { previousVersion: request.previousVersion } : {}),
  });
  return { ok: true, value: { config: config.value, plan } };
}
