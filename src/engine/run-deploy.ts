// Runs a plan through the pipeline: each stage in order, a failed gate stops the run, and the result is decided here
// from the stages' outcomes alone. Writes the JSON report and (for runs that never reached finalize) the record.
import { join } from 'node:path';
import type { EnvironmentName } from '../config/types.js';
import { expandText, placeholderEnv, type Placeholders } from '../exec/placeholders.js';
import type { DeployPlan } from '../plan/types.js';
import { renderJsonReport } from '../report/json-report.js';
import { writeFileAtomic } from './atomic-write.js';
import type { InFlight } from './in-flight.js';
import { acquireLock } from './lock.js';
import { STAGE_IDS, type Deployment, type StageRecord } from './model.js';
import type { RunObserver } from './observer.js';
import { PIPELINE } from './pipeline.js';
import { createRecordStore, recordOf } from './records.js';
import type { RunScratch, StageContext, StageIo, StageOutcome } from './stage.js';
import { rollBack } from '../stages/rollout.js';
import { sendNotification } from '../notify/send-notification.js';

export interface EngineDeps {
  io: StageIo;
  observer: RunObserver;
  inFlight: InFlight;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  mask: (text: string) => string;
  githubUnavailable?: string;
  /** Lines for the report about features skipped (one each). */
  notices?: string[];
}

function deploymentId(plan: DeployPlan, now: Date): string {
  return `${plan.target}-${plan.version}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

export function newDeployment(plan: DeployPlan, notices: string[] = []): Deployment {
  const now = new Date();
  const stages = Object.fromEntries(STAGE_IDS.map((id) => [id, { id, status: 'not-run', notes: '', gates: [], steps: [] }])) as unknown as Deployment['stages'];
  return {
    id: deploymentId(plan, now),
    target: plan.target,
    version: plan.version,
    ...(plan.previousVersion ? { previousVersion: plan.previousVersion } : {}),
    ...(plan.sha ? { sha: plan.sha } : {}),
    environments: plan.environments,
    configFile: plan.configFile,
    startedAt: now.toISOString(),
    stages,
    notices: [...notices],
  };
}

export async function runDeploy(plan: DeployPlan, deps: EngineDeps): Promise<Deployment> {
  const deployment = newDeployment(plan, deps.notices);
  const started = deps.io.clock.now();
  deployment.reportFile = join(plan.stateDir, 'reports', `${deployment.id}.json`);
  const records = createRecordStore(join(plan.stateDir, 'records.jsonl'));
  const scratch: RunScratch = {};
  let inFlightOpen = false;
  const inFlight: InFlight = {
    opened: (info) => {
      inFlightOpen = true;
      deps.inFlight.opened(info);
    },
    closed: (outcome) => {
      inFlightOpen = false;
      deps.inFlight.closed(outcome);
    },
  };

  const placeholders = (environment?: EnvironmentName): Placeholders => {
    const base: Placeholders = {
      target: plan.target,
      version: plan.version,
      environment: environment ?? '',
      url: '',
      snapshot: scratch.productionSnapshotId ?? '',
      previous_version: plan.previousVersion ?? '',
      sha: plan.sha ?? '',
    };
    const url = environment ? plan.config.environments[environment]?.url : undefined;
    return { ...base, url: url ? expandText(url, base) : '' };
  };
  const context: StageContext = {
    plan,
    config: plan.config,
    deployment,
    workspace: plan.workspace,
    stateDir: plan.stateDir,
    io: deps.io,
    observer: deps.observer,
    signal: deps.signal,
    scratch,
    inFlight,
    records,
    mask: deps.mask,
    env: deps.env,
    githubUnavailable: deps.githubUnavailable,
    placeholders,
    commandEnv: (environment) => ({
      ...placeholderEnv(placeholders(environment)),
      ...(scratch.artifactsDir ? { META_DEPLOY_ARTIFACTS_DIR: scratch.artifactsDir } : {}),
    }),
  };

  const lock = await acquireLock(plan.stateDir);
  if (!lock.ok) {
    deployment.result = 'failed';
    deployment.reason = lock.error;
    deployment.durationMs = deps.io.clock.now() - started;
    deps.observer.finished(deployment);
    return deployment;
  }
  try {
    for (const stage of PIPELINE) {
      const record = deployment.stages[stage.id] as StageRecord;
      const skipReason = stage.skipReason({ config: plan.config, environments: plan.environments });
      if (deployment.failedStage) {
        record.notes = `not run: ${stage.id === 'finalize' ? 'the deployment did not succeed' : `${deployment.failedStage} failed`}`;
        continue;
      }
      if (skipReason) {
        record.status = 'skipped';
        record.notes = skipReason;
        continue;
      }
      // Finalize cannot change the result: a run that reaches it has succeeded.
      if (stage.id === 'finalize') deployment.result = 'success';
      deps.observer.stageStarted(stage.id, deployment);
      record.startedAt = new Date().toISOString();
      const stageStart = deps.io.clock.now();
      let outcome: StageOutcome;
      try {
        outcome = await stage.run(context);
      } catch (error) {
        outcome = await internalError(context, stage.id, error as Error, inFlightOpen);
      }
      Object.assign(record, {
        status: outcome.status,
        notes: outcome.notes,
        gates: outcome.gates,
        steps: outcome.steps,
        data: outcome.data,
        durationMs: deps.io.clock.now() - stageStart,
      });
      if (outcome.snapshotId) deployment.snapshotId = outcome.snapshotId;
      if (outcome.failure && stage.id !== 'finalize') {
        deployment.failedStage = stage.id;
        deployment.result = outcome.failure.result;
        deployment.reason = outcome.failure.reason;
        if (outcome.failure.manualRollback) deployment.manualRollback = outcome.failure.manualRollback;
      }
      deps.observer.stageFinished(record, deployment);
    }
    if (inFlightOpen && deployment.result === 'success') inFlight.closed('healthy');
    deployment.result ??= 'success';
    if (deployment.result !== 'success') await sendAlerts(context, deployment);
    deployment.durationMs = deps.io.clock.now() - started;
    if (deployment.stages.finalize.status === 'not-run') {
      await records.append(recordOf(deployment)).catch((error: Error) => deployment.notices.push(`deployment record not written: ${error.message}`));
    }
    await writeFileAtomic(deployment.reportFile, deps.mask(renderJsonReport(deployment)));
  } finally {
    await lock.lock.release();
  }
  deps.observer.finished(deployment);
  return deployment;
}

/** ALERT on the configured channels when a deployment failed or was rolled back; each outcome becomes a notice. */
async function sendAlerts(context: StageContext, deployment: Deployment): Promise<void> {
  const label = deployment.result === 'rolled-back' ? 'ROLLED BACK' : 'FAILED';
  const text = `ALERT: meta-deploy ${deployment.target} ${deployment.version} ${label} at ${deployment.failedStage ?? 'start'}: ${deployment.reason ?? ''}`;
  const payload = { target: deployment.target, version: deployment.version, result: deployment.result, failedStage: deployment.failedStage, reason: context.mask(deployment.reason ?? ""), manualRollback: deployment.manualRollback, deploymentId: deployment.id };
  const sent = await Promise.all(context.config.finalize.notify.map((notify) => sendNotification(notify, { text: context.mask(text), payload }, context.env, context.io.http)));
  for (const alert of sent) deployment.notices.push(`Alert to ${alert.channel}: ${alert.detail}`);
}

/** A bug in a stage (a throw) must not leave production half-deployed: roll back if it was in flight. */
async function internalError(context: StageContext, stage: (typeof STAGE_IDS)[number], error: Error, inFlightOpen: boolean): Promise<StageOutcome> {
  const reason = `internal error in ${stage}: ${error.message}`;
  const base = { status: 'failed' as const, notes: reason, gates: [], steps: [], data: undefined as never };
  if (!inFlightOpen || stage === 'finalize') return { ...base, ...(stage === 'finalize' ? { status: 'warning' as const } : { failure: { result: 'failed' as const, reason } }) };
  const production = context.config.environments.production!;
  const rollback = await rollBack(context, production, context.scratch.productionSnapshotId, production.health ?? production.smoke);
  const restored = rollback.status === 'passed';
  context.inFlight.closed(restored ? 'rolled-back' : 'rollback-failed');
  return {
    ...base,
    status: restored ? 'rolled-back' : 'failed',
    notes: `${reason}; ${rollback.detail}`,
    failure: { result: restored ? 'rolled-back' : 'failed', reason: `${reason}; ${rollback.detail}`, ...(rollback.manualCommand ? { manualRollback: rollback.manualCommand } : {}) },
  };
}
