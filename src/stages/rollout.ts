// What staging and production share: put the version into an environment through its provider, poll its checks,
// and roll it back (then check health again, since a rollback is only done when the old version is healthy).
import type { EnvironmentConfig, EnvironmentName, PollConfig } from '../config/types.js';
import type { CheckRecord, PollResult } from '../checks/types.js';
import { pollChecks } from '../checks/poll.js';
import type { DebugRecord, EnvironmentData, RollbackRecord, StepRecord } from '../engine/model.js';
import type { StageContext } from '../engine/stage.js';
import { startStep } from '../engine/steps.js';
import { providerFor } from '../providers/registry.js';
import type { Provider, ProviderContext } from '../providers/types.js';
import { formatDuration } from '../config/units.js';

export function environmentOf(context: StageContext, name: EnvironmentName): EnvironmentConfig {
  const environment = context.config.environments[name];
  if (!environment) throw new Error(`bug: environment ${name} is not configured but its stage ran`);
  return environment;
}

export function providerContext(context: StageContext, environment: EnvironmentConfig, lastRecordedVersion?: string): ProviderContext {
  return {
    workspace: context.workspace,
    environment,
    placeholders: context.placeholders(environment.name),
    env: context.commandEnv(environment.name),
    runner: context.io.runner,
    artifactsDir: context.scratch.artifactsDir ?? '',
    lastRecordedVersion,
    label: `${environment.name}`,
  };
}

export function checkContext(context: StageContext, environment: EnvironmentName, label: string) {
  return {
    workspace: context.workspace,
    placeholders: context.placeholders(environment),
    env: context.commandEnv(environment),
    runner: context.io.runner,
    http: context.io.http,
    tcp: context.io.tcp,
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

export async function pollEnvironment(context: StageContext, environment: EnvironmentName, poll: PollConfig | undefined, label: string): Promise<PollResult> {
  if (!poll || poll.checks.length === 0) return { ok: true, elapsedMs: 0, timeoutMs: poll?.timeoutMs ?? 0, attempts: 0, checks: [] };
  return pollChecks(poll.checks, checkContext(context, environment, label), { timeoutMs: poll.timeoutMs, intervalMs: poll.intervalMs }, {
    clock: context.io.clock,
    signal: context.signal,
    onRound: (round, records) =>
      context.observer.progress(environment, `${label} round ${round}: ${records.filter((record) => record.status === 'passed').length}/${records.length} passing`),
  });
}

export function checksData(result: PollResult): NonNullable<EnvironmentData['checks']> {
  return { elapsedMs: result.elapsedMs, timeoutMs: result.timeoutMs, attempts: result.attempts, ok: result.ok, checks: result.checks };
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

export function firstFailure(records: CheckRecord[], timeoutMs: number): string {
  const failed = records.find((record) => record.status === 'failed');
  return failed ? `${failed.at}: ${failed.detail} after ${formatDuration(timeoutMs)}` : 'checks did not pass';
}

/** Restores `snapshotId` and re-checks health with the environment's own checks. */
export async function rollBack(
  context: StageContext,
  environment: EnvironmentConfig,
  snapshotId: string | undefined,
  checks: PollConfig | undefined,
): Promise<RollbackRecord> {
  const provider = providerFor(environment.provider);
  const timer = startStep(context);
  if (!snapshotId) {
    return { status: 'skipped', detail: 'nothing to roll back to: this was the first deployment to this environment', durationMs: 0 };
  }
  context.observer.progress(environment.name, `rolling back to snapshot ${snapshotId}`);
  const manualCommand = provider.manualRollbackCommand(environment, snapshotId, context.plan.configFile);
  const outcome = await provider.rollback(providerContext(context, environment), snapshotId);
  if (!outcome.ok) {
    return { snapshotId, status: 'failed', detail: `rollback failed: ${outcome.detail}`, durationMs: timer.elapsedMs(), manualCommand };
  }
  const health = await pollEnvironment(context, environment.name, checks, 'health after rollback');
  const healthAfter = { ok: health.ok, detail: health.ok ? `healthy after ${formatDuration(health.elapsedMs)}` : firstFailure(health.checks, health.timeoutMs) };
  return {
    snapshotId,
    status: health.ok ? 'passed' : 'failed',
    detail: health.ok ? `restored ${snapshotId}` : `restored ${snapshotId} but it is not healthy: ${healthAfter.detail}`,
    durationMs: timer.elapsedMs(),
    healthAfter,
    ...(health.ok ? {} : { manualCommand }),
  };
}

