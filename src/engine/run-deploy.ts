// Runs a plan through the pipeline: each stage in order, a failed gate stops the run, and the result is decided here
// from the stages' outcomes alone. Cancelling (the signal) stops starting stages and kills running commands; a
// rollback always runs to the end. Records a run that never reached finalize, and alerts when it did not succeed.
// Holds the state dir's lock for the whole run (waiting up to lock-timeout; a run that never gets it blames no stage),
// and first recovers a run that was killed before it (its run journal).
import { join } from 'node:path';
import type { EnvironmentName } from '../config/types.js';
import { maskDeep } from '../exec/mask.js';
import { expandText, placeholderEnv } from '../exec/placeholders.js';
import { streamedRunner } from '../exec/streamed-runner.js';
import type { ProcessRunner } from '../exec/types.js';
import { notificationEvent } from '../notify/notification.js';
import { sendNotifications } from '../notify/send-notification.js';
import type { DeployPlan } from '../plan/types.js';
import type { ArtifactUploadPort } from './artifact-upload-port.js';
import type { GitHubPort } from './github-port.js';
import type { InFlight } from './in-flight.js';
import { formatDuration } from '../config/units.js';
import { acquireLock, describeOwner } from './lock.js';
import { STAGE_IDS, type Deployment, type StageDataMap, type RollbackRecord, type StageId, type StageRecord } from './model.js';
import type { RunObserver } from './observer.js';
import { PIPELINE } from './pipeline.js';
import { placeholdersFor } from './placeholders-for.js';
import { createRecordStore, recordOf } from './records.js';
import { recoverKilledRun } from './recover-killed-run.js';
import { journalFile } from './run-journal.js';
import { newRunId } from './run-id.js';
import type { RunScratch, StageContext, StageIo, StageOutcome } from './stage.js';
import { afterProductionRollback, rollBackProduction } from '../stages/rollout.js';

export interface EngineDeps {
  io: StageIo;
  observer: RunObserver;
  inFlight: InFlight;
  env: NodeJS.ProcessEnv;
  /** Cancels the run (SIGINT/SIGTERM of the host process). */
  signal: AbortSignal;
  mask: (text: string) => string;
  /** How to start the meta-deploy CLI here (`node …/dist/cli/index.js`), for manual rollback commands. */
  cli: string;
  githubUnavailable?: string;
  /** GitHub's side of the run (deployments, approvals, PR comment, release, alert issue); absent without a token. */
  github?: GitHubPort;
  /** Lines for the report about features skipped (one each). */
  notices?: string[];
  /** Writes the JSON report (`deployment.reportFile`) of the finished run, before the closing summary shows it. */
  saveReport?: (deployment: Deployment) => Promise<void>;
  /** Uploads (GitHub) or stores (locally) the artifacts, SHA256SUMS, the JSON report and the debug details, once the
   *  report is written. */
  uploadArtifacts?: ArtifactUploadPort;
}

export function newDeployment(plan: DeployPlan, notices: string[] = []): Deployment {
  const now = new Date();
  const stages = Object.fromEntries(STAGE_IDS.map((id) => [id, { id, status: 'not-run', notes: '', gates: [], steps: [] }])) as unknown as Deployment['stages'];
  return {
    id: newRunId(`${plan.target}-${plan.version}`, now),
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

/** Every command of the run gets the cancel signal unless its caller passed one. */
function cancellable(runner: ProcessRunner, signal: AbortSignal): ProcessRunner {
  return (spec, options) => runner(spec, { ...options, signal: options?.signal ?? signal });
}

/** Observers display data; they get it masked, so wrapping or escaping cannot split a secret past the masker. */
function maskingObserver(observer: RunObserver, mask: (text: string) => string): RunObserver {
  return {
    stageStarted: (stage, deployment) => observer.stageStarted(stage, maskDeep(deployment, mask)),
    progress: (stage, message) => observer.progress(stage, mask(message)),
    output: (label, line) => observer.output(label, mask(line)),
    commandFinished: (label) => observer.commandFinished?.(label),
    stageFinished: (record, deployment) => observer.stageFinished(maskDeep(record, mask), maskDeep(deployment, mask)),
    finished: (deployment) => observer.finished(maskDeep(deployment, mask)),
  };
}

/** The run never started (the lock): no stage is blamed, every stage says why it did not run. */
function notStarted(deployment: Deployment, why: string): void {
  deployment.result = 'failed';
  deployment.reason = `not started: ${why}`;
  for (const id of STAGE_IDS) deployment.stages[id].notes = 'not run: the run never started';
}

function fail(deployment: Deployment, stage: StageId, reason: string, result: Deployment['result'] = 'failed'): void {
  deployment.failedStage = stage;
  deployment.result = result;
  deployment.reason = reason;
}

export async function runDeploy(plan: DeployPlan, deps: EngineDeps): Promise<Deployment> {
  const deployment = newDeployment(plan, deps.notices);
  const observer = maskingObserver(deps.observer, deps.mask);
  const started = deps.io.clock.now();
  const records = createRecordStore(join(plan.stateDir, 'records.jsonl'));
  const scratch: RunScratch = {};
  let inFlightOpen = false;
  const inFlight: InFlight = {
    opened: (info) => {
      deps.inFlight.opened(info);
      inFlightOpen = true;
    },
    closed: (outcome) => {
      inFlightOpen = false;
      deps.inFlight.closed(outcome);
    },
    // A phase only means something while production is in flight.
    phase: (phase) => {
      if (inFlightOpen) deps.inFlight.phase?.(phase);
    },
  };
  const placeholders = (environment?: EnvironmentName) =>
    placeholdersFor(
      { target: plan.target, version: plan.version, previousVersion: plan.previousVersion, sha: plan.sha, snapshot: scratch.productionSnapshotId },
      environment ? plan.config.environments[environment] : undefined,
    );
  const context: StageContext = {
    plan,
    config: plan.config,
    deployment,
    workspace: plan.workspace,
    stateDir: plan.stateDir,
    // Every command's output is streamed to the log, rollbacks' included.
    io: { ...deps.io, runner: streamedRunner(cancellable(deps.io.runner, deps.signal), observer) },
    rollbackIo: { ...deps.io, runner: streamedRunner(deps.io.runner, observer) },
    observer,
    signal: deps.signal,
    scratch,
    inFlight,
    records,
    mask: deps.mask,
    env: deps.env,
    githubUnavailable: deps.githubUnavailable,
    ...(deps.github ? { github: deps.github } : {}),
    cli: deps.cli,
    placeholders,
    commandEnv: (environment) => ({
      ...placeholderEnv(placeholders(environment)),
      ...(scratch.artifactsDir ? { META_DEPLOY_ARTIFACTS_DIR: scratch.artifactsDir } : {}),
    }),
  };

  const lock = await acquireLock({
    stateDir: plan.stateDir,
    runId: deployment.id,
    target: plan.target,
    timeoutMs: plan.lockTimeoutMs,
    signal: deps.signal,
    onWait: (holder) => observer.progress('validate', `waiting up to ${formatDuration(plan.lockTimeoutMs)} (lock-timeout) for the deploy lock, held by ${describeOwner(holder)}`),
  });
  const endNotStarted = (why: string): Deployment => {
    notStarted(deployment, why);
    deployment.durationMs = deps.io.clock.now() - started;
    observer.finished(deployment);
    return deployment;
  };
  if (!lock.ok) return endNotStarted(lock.error);
  // A run killed before this one is recorded first, and production put back if it was left unverified. If that
  // cannot be done, this run does not start: it would take the unverified release for the one to roll back to.
  const recovered = await recoverKilledRun({ stateDir: plan.stateDir, io: context.rollbackIo, cli: deps.cli, by: 'the next run', mask: deps.mask }).then(
    (recovery) =>
      recovery && {
        said: recovery.description,
        ...(recovery.rollback?.status === 'failed'
          ? { stop: `a killed run left production on ${recovery.record.version} unverified, and it could not be restored: ${recovery.rollback.detail}`, manual: recovery.rollback.manualCommand }
          : {}),
      },
    (error: Error) => {
      const said = `a killed run left ${journalFile(plan.stateDir)}, and recovering it failed: ${error.message}`;
      return { said, stop: said, manual: undefined };
    },
  );
  if (recovered) {
    deployment.notices.push(recovered.said);
    observer.progress('validate', recovered.said);
  }
  if (recovered?.stop) {
    await lock.lock.release();
    if (recovered.manual) {
      deployment.manualRollback = recovered.manual;
      deployment.manualRollbackEnvironment = 'production';
    }
    return endNotStarted(recovered.stop);
  }
  try {
    deps.inFlight.runStarted?.({
      runId: deployment.id,
      target: plan.target,
      version: plan.version,
      ...(plan.previousVersion ? { previousVersion: plan.previousVersion } : {}),
      environments: plan.environments,
      startedAt: deployment.startedAt,
      configFile: plan.configFile,
      workspace: plan.workspace,
    });
  } catch (error) {
    await lock.lock.release();
    return endNotStarted((error as Error).message);
  }
  deployment.reportFile = join(plan.stateDir, 'reports', `${deployment.id}.json`);
  try {
    for (const stage of PIPELINE) {
      const record = deployment.stages[stage.id] as StageRecord;
      if (deployment.failedStage) {
        record.notes = `not run: ${stage.id === 'finalize' ? 'the deployment did not succeed' : `${deployment.failedStage} ${deployment.reason?.startsWith('cancelled') ? 'was cancelled' : 'failed'}`}`;
        continue;
      }
      if (deps.signal.aborted) {
        fail(deployment, stage.id, `cancelled before ${stage.id}`);
        record.notes = 'not run: cancelled';
        // Production changed but was never verified: put back what ran before.
        if (inFlightOpen) {
          const rollback = await rollBackInFlight(context);
          const restored = rollback.status === 'passed';
          const production = deployment.stages.production;
          production.status = restored ? 'rolled-back' : 'failed';
          production.notes = `${production.notes}; cancelled before ${stage.id}: ${rollback.detail}`;
          if (production.data) production.data.rollback = rollback;
          deployment.result = restored ? 'rolled-back' : 'failed';
          deployment.reason = `cancelled before ${stage.id}; production ${rollback.detail}`;
          if (rollback.manualCommand) {
            deployment.manualRollback = rollback.manualCommand;
            deployment.manualRollbackEnvironment = 'production';
          }
        }
        continue;
      }
      const skipReason = stage.skipReason({ config: plan.config, environments: plan.environments });
      if (skipReason) {
        record.status = 'skipped';
        record.notes = skipReason;
        continue;
      }
      if (stage.id === 'finalize') {
        // Production passed verification (or has none): the post step must no longer roll it back.
        if (inFlightOpen) inFlight.closed('healthy');
        // Finalize cannot change the result: a run that reaches it has succeeded.
        deployment.result = 'success';
      }
      record.startedAt = new Date().toISOString();
      deps.inFlight.stageStarted?.(stage.id);
      observer.stageStarted(stage.id, deployment);
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
      // What production ran before is what its snapshot found running: the records may not know it (a fresh runner)
      // or be out of date (a rollback by hand, another tool).
      const found = stage.id === 'production' ? (outcome.data as StageDataMap['production'] | undefined)?.snapshot?.version : undefined;
      if (found) deployment.previousVersion = found;
      if (outcome.failure && stage.id !== 'finalize') {
        const reason = deps.signal.aborted ? `cancelled during ${stage.id}: ${outcome.failure.reason}` : outcome.failure.reason;
        fail(deployment, stage.id, reason, outcome.failure.result);
        if (outcome.failure.manualRollback) {
          deployment.manualRollback = outcome.failure.manualRollback;
          // Staging rolls back staging; production and verify roll back production.
          deployment.manualRollbackEnvironment = stage.id === 'staging' ? 'staging' : 'production';
        }
      }
      observer.stageFinished(record, deployment);
      // GitHub sees what the reports see: masked.
      await deps.github?.stageFinished(maskDeep(record, deps.mask), maskDeep(deployment, deps.mask));
    }
    deployment.result ??= 'success';
    deployment.durationMs = deps.io.clock.now() - started;
    if (deployment.result !== 'success') await sendAlerts(context, deployment);
    if (deps.github) await finishOnGitHub(deps.github, deployment, deps.mask);
    // Finalize writes the record of a successful run; every other run (or a finalize that could not) is recorded here.
    if (deployment.stages.finalize.data?.record?.status !== 'passed') {
      await records.append(recordOf(maskDeep(deployment, deps.mask))).catch((error: Error) => deployment.notices.push(`deployment record not written: ${error.message}`));
    }
    // Recorded (or said why not): a later run has nothing to recover.
    deps.inFlight.runEnded?.();
    // A report that cannot be written (a full disk) is said in the summary, which must not point at a missing file.
    const saveReport = async () => {
      await deps.saveReport?.(deployment).catch((error: Error) => {
        deployment.notices.push(`JSON report not written: ${error.message}`);
        delete deployment.reportFile;
      });
    };
    await saveReport();
    if (deps.uploadArtifacts) {
      await uploadArtifacts(deps.uploadArtifacts, deployment, context);
      // The stored report says where the upload went (the uploaded copy cannot know its own link).
      await saveReport();
    }
  } finally {
    await lock.lock.release();
  }
  observer.finished(deployment);
  return deployment;
}

/** Deployments still in progress are closed, the PR comment gets the whole story, and what GitHub did (or refused)
 *  joins the report. */
async function finishOnGitHub(github: GitHubPort, deployment: Deployment, mask: (text: string) => string): Promise<void> {
  await github.finished(maskDeep(deployment, mask));
  const facts = github.facts();
  deployment.github = facts;
  const deploymentId = github.deploymentId();
  if (deploymentId) deployment.deploymentId = deploymentId;
  if (facts.release?.url) deployment.releaseUrl = facts.release.url;
  deployment.notices.push(...github.notices().map(mask));
}

/** One upload at the end (the report exists only then): its record joins the build's data, or the notices when the
 *  build never ran. A failed upload is a warning; it never changes the result. */
async function uploadArtifacts(upload: ArtifactUploadPort, deployment: Deployment, context: StageContext): Promise<void> {
  const { upload: config } = context.config.build;
  const name = expandText(config.name, context.placeholders());
  const record = await upload({
    deployment: maskDeep(deployment, context.mask),
    stateDir: context.stateDir,
    name,
    ...(config.retentionDays !== undefined ? { retentionDays: config.retentionDays } : {}),
  }).catch((error: Error) => ({ status: 'warning' as const, detail: `upload failed: ${error.message}`, name }));
  const build = deployment.stages.build.data;
  if (build) build.upload = record;
  else deployment.notices.push(`Artifact upload: ${record.detail}`);
}

/** ALERT on the configured channels when a deployment failed or was rolled back; each outcome becomes a notice. */
async function sendAlerts(context: StageContext, deployment: Deployment): Promise<void> {
  const io = context.rollbackIo;
  const event = notificationEvent('alert', deployment, { env: context.env, mask: context.mask, now: io.clock.now() });
  const sent = await sendNotifications(context.config.finalize.notify, event, { env: context.env, http: io.http, sleep: (ms) => io.clock.sleep(ms) });
  for (const alert of sent) deployment.notices.push(`Alert to ${alert.channel}: ${alert.detail}`);
}

/** Rolls production back to its snapshot and closes the in-flight window with the outcome. */
async function rollBackInFlight(context: StageContext): Promise<RollbackRecord> {
  const rollback = await rollBackProduction(context);
  context.inFlight.closed(rollback.status === 'passed' ? 'rolled-back' : 'rollback-failed');
  return rollback;
}

/** A bug in a stage (a throw) must not leave production half-deployed: roll back if it was in flight. */
async function internalError(context: StageContext, stage: StageId, error: Error, inFlightOpen: boolean): Promise<StageOutcome> {
  const reason = `internal error in ${stage}: ${error.message}`;
  const base = { status: 'failed' as const, notes: reason, gates: [], steps: [], data: undefined as never };
  if (stage === 'finalize') return { ...base, status: 'warning' };
  if (!inFlightOpen) return { ...base, failure: { result: 'failed', reason } };
  const rollback = await rollBackProduction(context);
  return { ...base, ...afterProductionRollback(context, reason, rollback) };
}
