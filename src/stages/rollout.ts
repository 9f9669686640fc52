// What staging and production share: put the version into an environment through its provider, poll its checks,
// and roll it back (restoreSnapshot re-checks health, since a rollback is only done when the old version is healthy).
import type { CheckRecord, PollResult } from '../checks/types.js';
import { pollChecks, reachedFailureThreshold } from '../checks/poll.js';
import { checksOf } from '../config/environment-checks.js';
import type { EnvironmentConfig, EnvironmentName, PollConfig } from '../config/types.js';
import { formatDuration } from '../config/units.js';
import type { DebugRecord, EnvironmentData, RollbackRecord, StepRecord } from '../engine/model.js';
import { restoreSnapshot } from '../engine/restore-snapshot.js';
import type { EnvironmentClaim } from '../engine/github-port.js';
import type { StageContext, StageIo } from '../engine/stage.js';
import { startStep } from '../engine/steps.js';
import type { PlannedBlock } from '../plan/types.js';
import { providerFor } from '../providers/registry.js';
import type { Provider, ProviderContext } from '../providers/types.js';

export function environmentOf(context: StageContext, name: EnvironmentName): EnvironmentConfig {
  const environment = context.config.environments[name];
  if (!environment) throw new Error(`bug: environment ${name} is not configured but its stage ran`);
  return environment;
}

export function providerContext(context: StageContext, environment: EnvironmentConfig, lastRecordedVersion?: string, io: StageIo = context.io): ProviderContext {
  return {
    workspace: context.workspace,
    environment,
    placeholders: context.placeholders(environment.name),
    env: context.commandEnv(environment.name),
    runner: io.runner,
    artifactsDir: context.scratch.artifactsDir ?? '',
    lastRecordedVersion,
    label: environment.name,
  };
}

export function checkContext(context: StageContext, environment: EnvironmentName, label: string, io: StageIo = context.io) {
  return {
    workspace: context.workspace,
    placeholders: context.placeholders(environment),
    env: context.commandEnv(environment),
    runner: io.runner,
    http: io.http,
    tcp: io.tcp,
    label,
  };
}

export function describeMethod(environment: EnvironmentConfig): string {
  return providerFor(environment.provider).describe(environment);
}

export async function deployTo(context: StageContext, environment: EnvironmentConfig, provider: Provider): Promise<StepRecord> {
  const timer = startStep(context);
  context.observer.progress(environment.name, `deploying ${context.plan.version} (${provider.describe(environment)})`);
  const outcome = await provider.deploy(providerContext(context, environment), context.plan.version);
  return timer.finish(`Deploy to ${environment.name}`, outcome.ok ? 'passed' : 'failed', outcome.detail, outcome.ok ? undefined : outcome.output);
}

export async function pollEnvironment(context: StageContext, environment: EnvironmentConfig, label: string): Promise<PollResult> {
  const poll: PollConfig | undefined = checksOf(environment);
  if (!poll) return { ok: true, ended: 'passed', elapsedMs: 0, timeoutMs: 0, attempts: 0, successThreshold: 1, checks: [] };
  const { timeoutMs, intervalMs, failureThreshold, successThreshold } = poll;
  return pollChecks(poll.checks, checkContext(context, environment.name, label), { timeoutMs, intervalMs, failureThreshold, successThreshold }, {
    clock: context.io.clock,
    signal: context.signal,
    onRound: (round, records) =>
      context.observer.progress(environment.name, `${label} round ${round}: ${records.filter((record) => record.status === 'passed').length}/${records.length} passing`),
  });
}

/** How a poll shows in the plan: its timeout, interval and thresholds. */
export function plannedPoll(poll: PollConfig | undefined): Pick<PlannedBlock, 'timeoutMs' | 'poll'> {
  if (!poll) return {};
  const { timeoutMs, intervalMs, failureThreshold, successThreshold } = poll;
  return { timeoutMs, poll: { intervalMs, failureThreshold, successThreshold } };
}

export function checksData(result: PollResult): NonNullable<EnvironmentData['checks']> {
  return { elapsedMs: result.elapsedMs, timeoutMs: result.timeoutMs, attempts: result.attempts, ok: result.ok, ended: result.ended, checks: result.checks };
}

export function debugOf(records: CheckRecord[]): DebugRecord[] {
  return records
    .filter((record) => record.status === 'failed')
    .map((record) => ({
      subject: `${record.at} (${record.name})`,
      expected: record.expected,
      got: record.got,
      detail: record.detail,
      ...(record.output ? { output: record.output } : {}),
    }));
}

/** Why a poll did not pass, naming the check: it failed `failure-threshold` times in a row once it answered; it still
 *  failed at the timeout (or never answered at all); or — when the run was cancelled — when it was stopped (a cancel at
 *  0.6 s must not read as checks that failed for the whole timeout). */
export function firstFailure(result: PollResult): string {
  const failed = result.checks.filter((record) => record.status === 'failed');
  const subject = (record: CheckRecord): string => `${record.at} (${record.name}): ${record.detail}`;
  const timeout = formatDuration(result.timeoutMs);
  switch (result.ended) {
    case 'failure-threshold': {
      const culprit = failed.find((record) => reachedFailureThreshold(record, result.failureThreshold));
      if (culprit) return `${subject(culprit)} ${culprit.inARow === 1 ? 'once' : `${culprit.inARow} times in a row`} (failure-threshold ${result.failureThreshold})`;
      break;
    }
    case 'cancelled': {
      const when = `when the run was cancelled, ${formatDuration(result.elapsedMs)} in`;
      return failed[0] ? `${subject(failed[0])} ${when}` : `cancelled ${formatDuration(result.elapsedMs)} in, before the checks passed`;
    }
    case 'never-answered': {
      const silent = failed.find((record) => !record.answered);
      if (silent) return `${subject(silent)} after ${timeout}; it never answered`;
      break;
    }
    default: {
      if (failed[0]) return `${subject(failed[0])} after ${timeout}`;
      // Every check passed in the last round, but not all of them `success-threshold` rounds in a row.
      const shortest = [...result.checks].sort((a, b) => a.inARow - b.inARow)[0];
      if (shortest) {
        const rounds = `${shortest.inARow} round${shortest.inARow === 1 ? '' : 's'}`;
        return `${shortest.at} (${shortest.name}): passed ${rounds} in a row, fewer than success-threshold ${result.successThreshold}, when the ${timeout} timeout ran out`;
      }
    }
  }
  return 'checks did not pass';
}

/** What a stage knows of the snapshot it took: no id means nothing ran before (first deployment). */
export interface TakenSnapshot {
  snapshotId?: string;
  version?: string;
}

/** Rolls back to the snapshot with the run's un-cancellable IO: a cancelled run still restores what worked. */
export async function rollBack(context: StageContext, environment: EnvironmentConfig, snapshot: TakenSnapshot): Promise<RollbackRecord> {
  const { snapshotId } = snapshot;
  if (!snapshotId) {
    return { status: 'skipped', detail: 'nothing to roll back to: this was the first deployment to this environment', durationMs: 0 };
  }
  if (environment.name === 'production') context.inFlight.phase?.('rolling-back');
  context.observer.progress(environment.name, `rolling back to snapshot ${snapshotId}`);
  const io = context.rollbackIo;
  return restoreSnapshot({
    environment,
    snapshotId,
    snapshotVersion: snapshot.version,
    manual: { program: context.cli, workspace: context.workspace, configFile: context.plan.configFile, target: context.plan.target },
    provider: providerContext(context, environment, undefined, io),
    checks: checkContext(context, environment.name, 'health after rollback', io),
    clock: io.clock,
    onRound: (round, passing, total) => context.observer.progress(environment.name, `health after rollback round ${round}: ${passing}/${total} passing`),
  });
}

/** Rolls production back to the snapshot the production stage took in this run. */
export function rollBackProduction(context: StageContext): Promise<RollbackRecord> {
  return rollBack(context, environmentOf(context, 'production'), { snapshotId: context.scratch.productionSnapshotId, version: context.scratch.productionSnapshotVersion });
}

/** Another run deploying the same environment (a GitHub deployment in progress) is waited for before anything here
 *  changes; without GitHub there is only the state directory's lock. */
export async function claimEnvironment(context: StageContext, name: EnvironmentName): Promise<EnvironmentClaim> {
  return context.github ? context.github.claimEnvironment(name, context.signal, context.placeholders(name).url || undefined) : { ok: true };
}

/** A stage that stopped before deploying: the environment is unchanged, the run fails. */
export function notDeployed<D>(gate: string, data: D, reason: string) {
  return { status: 'failed' as const, notes: reason, gates: [{ name: gate, passed: false, detail: 'not deployed' }], steps: [], data, failure: { result: 'failed' as const, reason } };
}

/** After production was rolled back: `rolled-back` only if the snapshot is healthy again, else `failed` with the
 *  manual command. Closes the in-flight window with that outcome. */
export function afterProductionRollback(context: StageContext, reason: string, rollback: RollbackRecord) {
  const restored = rollback.status === 'passed';
  context.inFlight.closed(restored ? 'rolled-back' : 'rollback-failed');
  return {
    status: restored ? ('rolled-back' as const) : ('failed' as const),
    notes: `${reason}; ${restored ? `rolled back to ${rollback.snapshotId}` : rollback.detail}`,
    failure: {
      result: restored ? ('rolled-back' as const) : ('failed' as const),
      reason: restored ? reason : `${reason}; ${rollback.detail}`,
      ...(rollback.manualCommand ? { manualRollback: rollback.manualCommand } : {}),
    },
  };
}
