// `meta-deploy rollback`: an environment rolled back outside a run, after any killed run on the state dir was recovered
// first. The same restoreSnapshot (provider rollback + health re-check) as the automatic rollback inside a run, under
// the state directory's lock, judged on the restored release (its version from the saved snapshot, or the caller),
// and recorded (masked) so the next run knows what the environment runs now.
import { join } from 'node:path';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import type { EnvironmentConfig, EnvironmentName, TargetConfig } from '../config/types.js';
import { maskDeep } from '../exec/mask.js';
import { acquireLock, describeOwner } from './lock.js';
import { restoredVersionOf } from './placeholders-for.js';
import { createRecordStore } from './records.js';
import { recoverKilledRun } from './recover-killed-run.js';
import { restoreEnvironment } from './restore-environment.js';
import { newRunId } from './run-id.js';
import { savedSnapshots } from './snapshots.js';
import type { StageIo } from './stage.js';

export interface RollbackRequest {
  config: TargetConfig;
  configFile: string;
  target: string;
  environment: EnvironmentName;
  /** Default: the newest snapshot recorded for this target and environment. */
  snapshotId?: string;
  workspace: string;
  stateDir: string;
  io: StageIo;
  /** How to start the meta-deploy CLI here, for the command to retry by hand. */
  cli: string;
  /** Masks declared secrets before anything is recorded. */
  mask: (text: string) => string;
  /** How long to wait for a run holding the state directory (default: the config default, 15m). */
  lockTimeoutMs?: number;
  /** Told while waiting for the lock, and when a killed run was recovered first. */
  say?: (line: string) => void;
}

export interface RollbackResult {
  ok: boolean;
  snapshotId?: string;
  /** The version the environment runs after a restore (`${version}` of its checks). */
  restoredVersion?: string;
  detail: string;
  /** The health re-check after the restore, when checks ran. */
  healthAfter?: { ok: boolean; detail: string };
  manualCommand?: string;
}

export async function rollbackEnvironment(request: RollbackRequest): Promise<RollbackResult> {
  const environment = request.config.environments[request.environment];
  if (!environment) return { ok: false, detail: `environment ${request.environment} is not configured for target ${request.target}` };
  const startedAt = new Date();
  const id = newRunId(`${request.target}-rollback`, startedAt);
  const lock = await acquireLock({
    stateDir: request.stateDir,
    runId: id,
    target: request.target,
    timeoutMs: request.lockTimeoutMs ?? CONFIG_DEFAULTS.lockTimeoutMs,
    onWait: (holder) => request.say?.(`waiting for the deploy lock, held by ${describeOwner(holder)}`),
  });
  if (!lock.ok) return { ok: false, ...(request.snapshotId ? { snapshotId: request.snapshotId } : {}), detail: lock.error };
  try {
    // A rollback by hand is how a human fixes what a failed recovery left: it goes on even if recovery fails.
    const recovered = await recoverKilledRun({ stateDir: request.stateDir, io: request.io, cli: request.cli, by: 'the next rollback', mask: request.mask }).then(
      (recovery) => recovery?.description,
      (error: Error) => `recovering a killed run failed: ${error.message}`,
    );
    if (recovered) request.say?.(recovered);
    // The snapshots saved here, read once: the newest is the default, and the chosen one's version is known if saved.
    const saved = await savedSnapshots(request.stateDir, request.target, request.environment);
    const snapshotId = request.snapshotId ?? saved.at(-1)?.id;
    if (!snapshotId) return { ok: false, detail: `no snapshot recorded for ${request.target}/${request.environment}; pass --to <snapshot>` };
    const snapshotVersion = saved.findLast((snapshot) => snapshot.id === snapshotId)?.version;
    return await restoreAndRecord(request, environment, { id: snapshotId, version: snapshotVersion }, id, startedAt);
  } finally {
    await lock.lock.release();
  }
}

async function restoreAndRecord(
  request: RollbackRequest,
  environment: EnvironmentConfig,
  { id: snapshotId, version: snapshotVersion }: { id: string; version?: string },
  id: string,
  startedAt: Date,
): Promise<RollbackResult> {
  const records = createRecordStore(join(request.stateDir, 'records.jsonl'));
  // The version being replaced (`${previous_version}` once restored) is the last one recorded there; the snapshot's
  // own version is the saved one, else the snapshot id.
  const version = await records.lastDeployedVersion(request.target, request.environment);
  const restoredVersion = restoredVersionOf({ id: snapshotId, version: snapshotVersion });
  const record = await restoreEnvironment({ ...request, environment, snapshotId, snapshotVersion, version });
  const ok = record.status === 'passed';
  // Recorded like a deployment, so the next run knows what the environment runs now.
  await records
    .append(maskDeep({
      id,
      kind: 'rollback',
      target: request.target,
      version: restoredVersion,
      ...(version ? { previousVersion: version } : {}),
      environments: [request.environment],
      result: ok ? 'rolled-back' : 'failed',
      reason: record.detail,
      snapshotId,
      startedAt: startedAt.toISOString(),
      durationMs: record.durationMs,
      deployedTo: ok ? [request.environment] : [],
    }, request.mask))
    .catch(() => undefined);
  return {
    ok,
    snapshotId,
    restoredVersion,
    detail: record.detail,
    ...(record.healthAfter ? { healthAfter: record.healthAfter } : {}),
    ...(record.manualCommand ? { manualCommand: record.manualCommand } : {}),
  };
}
