// config + inputs + repository → DeployPlan: which version, which stages, what each will do. Reads git and the
// records, runs no user command.
import { resolve } from 'node:path';
import type { DeployConfig } from '../config/types.js';
import { PIPELINE } from '../engine/pipeline.js';
import { createRecordStore } from '../engine/records.js';
import type { RunInputs } from './inputs.js';
import type { DeployPlan } from './types.js';
import { computeVersion } from './version.js';

export interface PlanContext {
  workspace: string;
  /** GITHUB_REF, e.g. refs/tags/v1.2.3 */
  ref?: string;
  sha?: string;
}

export function stateDirOf(config: DeployConfig, workspace: string): string {
  return resolve(workspace, config.stateDir);
}

export async function planDeploy(config: DeployConfig, inputs: RunInputs, context: PlanContext): Promise<DeployPlan> {
  const target = config.targets[inputs.target]!;
  const computed = inputs.version ? undefined : await computeVersion(context.workspace, context.ref);
  const stateDir = stateDirOf(config, context.workspace);
  const lastDeployed = await createRecordStore(resolve(stateDir, 'records.jsonl')).lastDeployedVersion(inputs.target, 'production');
  const previousVersion = lastDeployed ?? computed?.previousTag?.replace(/^v/, '');
  const planInput = { config: target, environments: inputs.environments };
  return {
    target: inputs.target,
    version: inputs.version ?? computed!.version,
    versionSource: inputs.version ? 'input' : computed!.source,
    ...(previousVersion ? { previousVersion } : {}),
    ...(context.sha ? { sha: context.sha } : {}),
    environments: inputs.environments,
    configFile: config.file,
    workspace: context.workspace,
    stateDir,
    lockTimeoutMs: config.lockTimeoutMs,
    dryRun: inputs.dryRun,
    config: target,
    stages: PIPELINE.map((stage) => {
      const skipReason = stage.skipReason(planInput);
      return {
        id: stage.id,
        title: stage.title,
        run: !skipReason,
        ...(skipReason ? { skipReason } : {}),
        blocks: stage.blocks(planInput),
        gates: stage.gates,
        onFailure: stage.onFailure,
      };
    }),
  };
}
