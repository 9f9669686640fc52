// Rolling an environment back to a snapshot and proving it healthy again: the one rollback used by the staging,
// production and verify stages, `meta-deploy rollback` and the action's post step. A rollback whose environment is not
// healthy afterwards is a failed rollback, and comes with the command to try again by hand. The rollback command and
// the checks see the restored release (restoredPlaceholders), whatever placeholders the caller passed in.
import type { CheckContext } from '../checks/types.js';
import { pollChecks } from '../checks/poll.js';
import { checksOf } from '../config/environment-checks.js';
import type { EnvironmentConfig } from '../config/types.js';
import { formatDuration } from '../config/units.js';
import { placeholderEnv } from '../exec/placeholders.js';
import type { Clock } from '../exec/types.js';
import { providerFor } from '../providers/registry.js';
import type { ProviderContext } from '../providers/types.js';
import { formatManualRollbackCommand, type ManualRollback } from './manual-rollback-command.js';
import type { RollbackRecord } from './model.js';
import { restoredPlaceholders } from './placeholders-for.js';

export interface RestoreRequest {
  environment: EnvironmentConfig;
  snapshotId: string;
  /** The version the snapshot runs, when known (else `${version}` after the restore is the snapshot id). */
  snapshotVersion?: string;
  /** For the command a human would run if this fails. */
  manual: Omit<ManualRollback, 'environment' | 'snapshotId'>;
  /** Placeholders and env describe the release being replaced; restoreSnapshot turns them into the restored one's. */
  provider: ProviderContext;
  checks: CheckContext;
  clock: Clock;
  onRound?: (round: number, passing: number, total: number) => void;
}

export async function restoreSnapshot(request: RestoreRequest): Promise<RollbackRecord> {
  const started = request.clock.now();
  const { environment, snapshotId } = request;
  const provider = providerFor(environment.provider);
  const manualCommand = formatManualRollbackCommand({ ...request.manual, environment: environment.name, snapshotId });
  const placeholders = restoredPlaceholders(request.provider.placeholders, { id: snapshotId, version: request.snapshotVersion }, environment);
  const env = placeholderEnv(placeholders);
  const outcome = await provider.rollback({ ...request.provider, placeholders, env: { ...request.provider.env, ...env } }, snapshotId);
  if (!outcome.ok) {
    return { snapshotId, status: 'failed', detail: `rollback failed: ${outcome.detail}`, durationMs: request.clock.now() - started, manualCommand };
  }
  const poll = checksOf(environment);
  if (!poll || poll.checks.length === 0) {
    return { snapshotId, status: 'passed', detail: `restored ${snapshotId} (no checks configured to confirm its health)`, durationMs: request.clock.now() - started };
  }
  // No abort signal here on purpose: a cancelled run still finishes restoring the version that worked.
  const health = await pollChecks(poll.checks, { ...request.checks, placeholders, env: { ...request.checks.env, ...env } }, { timeoutMs: poll.timeoutMs, intervalMs: poll.intervalMs }, {
    clock: request.clock,
    onRound: (round, records) => request.onRound?.(round, records.filter((record) => record.status === 'passed').length, records.length),
  });
  const failed = health.checks.find((check) => check.status === 'failed');
  const healthAfter = health.ok
    ? { ok: true, detail: `healthy after ${formatDuration(health.elapsedMs)}` }
    : { ok: false, detail: `${failed?.at} (${failed?.name}): ${failed?.detail} after ${formatDuration(health.timeoutMs)}` };
  return {
    snapshotId,
    status: health.ok ? 'passed' : 'failed',
    detail: health.ok ? `restored ${snapshotId}` : `restored ${snapshotId} but it is not healthy: ${healthAfter.detail}`,
    durationMs: request.clock.now() - started,
    healthAfter,
    ...(health.ok ? {} : { manualCommand }),
  };
}
