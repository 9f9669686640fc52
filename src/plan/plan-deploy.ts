// config + inputs + repository → DeployPlan: which version (and the commits it brings), which stages, what each will
// do. Reads the release history (local git or the GitHub API) and the records, runs no user command.
import { resolve } from 'node:path';
import type { DeployConfig } from '../config/types.js';
import { PIPELINE } from '../engine/pipeline.js';
import { createRecordStore } from '../engine/records.js';
import type { RunInputs } from './inputs.js';
import { localGitHistory, type ReleaseHistory } from './release-history.js';
import type { DeployPlan } from './types.js';
import { changesUpTo, computeVersion } from './version.js';

export interface PlanContext {
  workspace: string;
  /** GITHUB_REF, e.g. refs/tags/v1.2.3 */
  ref?: string;
  sha?: string;
  /** Where the v* tags and commits are read (default: the workspace's local git). */
  history?: ReleaseHistory;
  /** Production's version when the records do not know it (a fresh runner): e.g. GitHub's last successful deployment. */
  previousVersion?: (target: string) => Promise<string | undefined>;
}

export function stateDirOf(config: DeployConfig, workspace: string): string {
  return resolve(workspace, config.stateDir);
}

export async function planDeploy(config: DeployConfig, inputs: RunInputs, context: PlanContext): Promise<DeployPlan> {
  const target = config.targets[inputs.target]!;
  const history = context.history ?? localGitHistory(context.workspace);
  const computed = inputs.version ? undefined : await computeVersion(history, context.ref, context.sha);
  const { previousTag, commits } = computed ?? (await changesUpTo(history, inputs.version!));
  const stateDir = stateDirOf(config, context.workspace);
  const lastDeployed = await createRecordStore(resolve(stateDir, 'records.jsonl')).lastDeployedVersion(inputs.target, 'production');
  const previousVersion = lastDeployed ?? (await context.previousVersion?.(inputs.target)) ?? previousTag?.replace(/^v/, '');
  const planInput = { config: target, environments: inputs.environments };
  const notes = history.notes();
  return {
    target: inputs.target,
    version: inputs.version ?? computed!.version,
    versionSource: inputs.version ? 'input' : computed!.source,
    versionFrom: history.source(),
    ...(notes.length ? { versionNotes: notes } : {}),
    changes: { ...(previousTag ? { previousTag } : {}), commits },
    ...(history.repositoryUrl ? { repositoryUrl: history.repositoryUrl } : {}),
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
