// Rolling an environment back outside a run: `meta-deploy rollback` and the action's post step. The same
// restoreSnapshot (provider rollback + health re-check) as the automatic rollback inside a run, judged on the restored
// release (its version from the saved snapshot, or the caller), and recorded with why it ran.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnvironmentConfig, EnvironmentName, TargetConfig } from '../config/types.js';
import { acquireLock } from './lock.js';
import { placeholderEnv } from '../exec/placeholders.js';
import { placeholdersFor, restoredVersionOf } from './placeholders-for.js';
import { createRecordStore } from './records.js';
import { restoreSnapshot } from './restore-snapshot.js';
import type { StageIo } from './stage.js';

export interface RollbackRequest {
  config: TargetConfig;
  configFile: string;
  target: string;
  environment: EnvironmentName;
  /** Default: the newest snapshot recorded for this target and environment. */
  snapshotId?: string;
  /** The version being replaced (`${previous_version}` once restored), when known; else the last recorded one. */
  version?: string;
  /** The version the snapshot runs, when known; else read from the saved snapshot, else the snapshot id. */
  snapshotVersion?: string;
  /** Why this rollback runs, first in its record ("post step: the main step stopped during …"). */
  cause?: string;
  workspace: string;
  stateDir: string;
  io: StageIo;
  /** How to start the meta-deploy CLI here, for the command to retry by hand. */
  cli: string;
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

interface SavedSnapshot {
  target: string;
  environment: EnvironmentName;
  id?: string;
  version?: string;
  takenAt: string;
}

export async function latestSnapshot(stateDir: string, target: string, environment: EnvironmentName): Promise<string | undefined> {
  return (await savedSnapshots(stateDir, target, environment)).pop()?.id;
}

/** The version recorded with snapshot `id` (newest first), when its snapshot file says. */
async function savedSnapshotVersion(stateDir: string, target: string, environment: EnvironmentName, id: string): Promise<string | undefined> {
  const version = (await savedSnapshots(stateDir, target, environment)).reverse().find((snapshot) => snapshot.id === id)?.version;
  return typeof version === 'string' ? version : undefined;
}

/** Snapshots saved for this target and environment, oldest first. */
async function savedSnapshots(stateDir: string, target: string, environment: EnvironmentName): Promise<SavedSnapshot[]> {
  const directory = join(stateDir, 'snapshots');
  const files = await readdir(directory).catch(() => [] as string[]);
  const snapshots: SavedSnapshot[] = [];
  for (const file of files.filter((name) => name.endsWith('.json'))) {
    try {
      const snapshot: unknown = JSON.parse(await readFile(join(directory, file), 'utf8'));
      if (snapshot && typeof snapshot === 'object') snapshots.push(snapshot as SavedSnapshot);
    } catch {
      // An unreadable snapshot file is not a candidate.
    }
  }
  return snapshots
    .filter((snapshot) => snapshot.target === target && snapshot.environment === environment && typeof snapshot.id === 'string')
    .sort((a, b) => String(a.takenAt).localeCompare(String(b.takenAt)));
}

export async function rollbackEnvironment(request: RollbackRequest): Promise<RollbackResult> {
  const environment = request.config.environments[request.environment];
  if (!environment) return { ok: false, detail: `environment ${request.environment} is not configured for target ${request.target}` };
  const snapshotId = request.snapshotId ?? (await latestSnapshot(request.stateDir, request.target, request.environment));
  if (!snapshotId) return { ok: false, detail: `no snapshot recorded for ${request.target}/${request.environment}; pass --to <snapshot>` };
  const lock = await acquireLock(request.stateDir);
  if (!lock.ok) return { ok: false, snapshotId, detail: lock.error };
  try {
    return await restoreAndRecord(request, environment, snapshotId);
  } finally {
    await lock.lock.release();
  }
}

async function restoreAndRecord(request: RollbackRequest, environment: EnvironmentConfig, snapshotId: string): Promise<RollbackResult> {
  const startedAt = new Date();
  const records = createRecordStore(join(request.stateDir, 'records.jsonl'));
  const version = request.version ?? (await records.lastDeployedVersion(request.target, request.environment));
  const snapshotVersion = request.snapshotVersion ?? (await savedSnapshotVersion(request.stateDir, request.target, request.environment, snapshotId));
  const restoredVersion = restoredVersionOf({ id: snapshotId, version: snapshotVersion });
  // The release being replaced; restoreSnapshot gives the command and checks the restored release's values.
  const placeholders = placeholdersFor({ target: request.target, version: version ?? '', snapshot: snapshotId }, environment);
  const env = placeholderEnv(placeholders);
  const record = await restoreSnapshot({
    environment,
    snapshotId,
    snapshotVersion,
    manual: { program: request.cli, workspace: request.workspace, configFile: request.configFile, target: request.target },
    provider: { workspace: request.workspace, environment, placeholders, env, runner: request.io.runner, artifactsDir: '', label: `rollback/${request.environment}` },
    checks: { workspace: request.workspace, placeholders, env, runner: request.io.runner, http: request.io.http, tcp: request.io.tcp, label: 'health after rollback' },
    clock: request.io.clock,
  });
  const ok = record.status === 'passed';
  // Recorded like a deployment, so the next run knows what the environment runs now.
  await records
    .append({
      id: `${request.target}-rollback-${startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`,
      kind: 'rollback',
      target: request.target,
      version: restoredVersion,
      ...(version ? { previousVersion: version } : {}),
      environments: [request.environment],
      result: ok ? 'rolled-back' : 'failed',
      reason: request.cause ? `${request.cause}; ${record.detail}` : record.detail,
      snapshotId,
      startedAt: startedAt.toISOString(),
      durationMs: record.durationMs,
      deployedTo: ok ? [request.environment] : [],
    })
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
