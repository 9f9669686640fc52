// Rolling an environment back outside a run: `meta-deploy rollback` and the action's post step. Same provider call and
// the same health re-check as the automatic rollback inside a run.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pollChecks } from '../checks/poll.js';
import type { EnvironmentName, TargetConfig } from '../config/types.js';
import { formatDuration } from '../config/units.js';
import { expandText, placeholderEnv, type Placeholders } from '../exec/placeholders.js';
import { providerFor } from '../providers/registry.js';
import { createRecordStore } from './records.js';
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
  onLine?: (line: string) => void;
}

export interface RollbackResult {
  ok: boolean;
  snapshotId?: string;
  detail: string;
  manualCommand?: string;
}

interface SavedSnapshot {
  target: string;
  environment: EnvironmentName;
  id?: string;
  takenAt: string;
}

export async function latestSnapshot(stateDir: string, target: string, environment: EnvironmentName): Promise<string | undefined> {
  const directory = join(stateDir, 'snapshots');
  const files = await readdir(directory).catch(() => [] as string[]);
  const snapshots: SavedSnapshot[] = [];
  for (const file of files.filter((name) => name.endsWith('.json'))) {
    try {
      snapshots.push(JSON.parse(await readFile(join(directory, file), 'utf8')) as SavedSnapshot);
    } catch {
      // An unreadable snapshot file is not a candidate.
    }
  }
  return snapshots
    .filter((snapshot) => snapshot.target === target && snapshot.environment === environment && snapshot.id)
    .sort((a, b) => a.takenAt.localeCompare(b.takenAt))
    .pop()?.id;
}

export async function rollbackEnvironment(request: RollbackRequest): Promise<RollbackResult> {
  const environment = request.config.environments[request.environment];
  if (!environment) return { ok: false, detail: `environment ${request.environment} is not configured for target ${request.target}` };
  const snapshotId = request.snapshotId ?? (await latestSnapshot(request.stateDir, request.target, request.environment));
  if (!snapshotId) return { ok: false, detail: `no snapshot recorded for ${request.target}/${request.environment}; pass --to <snapshot>` };
  const lastVersion = await createRecordStore(join(request.stateDir, 'records.jsonl')).lastDeployedVersion(request.target, request.environment);
  const base: Placeholders = {
    target: request.target,
    version: lastVersion ?? '',
    environment: request.environment,
    url: '',
    snapshot: snapshotId,
    previous_version: '',
    sha: '',
  };
  const placeholders = { ...base, url: environment.url ? expandText(environment.url, base) : '' };
  const env = placeholderEnv(placeholders);
  const provider = providerFor(environment.provider);
  const manualCommand = provider.manualRollbackCommand(environment, snapshotId, request.configFile);
  const outcome = await provider.rollback(
    { workspace: request.workspace, environment, placeholders, env, runner: request.io.runner, artifactsDir: '', label: `rollback/${request.environment}` },
    snapshotId,
  );
  if (!outcome.ok) return { ok: false, snapshotId, detail: `rollback failed: ${outcome.detail}`, manualCommand };
  const poll = request.environment === 'production' ? (environment.health ?? environment.smoke) : (environment.smoke ?? environment.health);
  if (!poll || poll.checks.length === 0) return { ok: true, snapshotId, detail: `restored ${snapshotId} (no health checks configured)` };
  const health = await pollChecks(
    poll.checks,
    { workspace: request.workspace, placeholders, env, runner: request.io.runner, http: request.io.http, tcp: request.io.tcp, label: 'health after rollback' },
    { timeoutMs: poll.timeoutMs, intervalMs: poll.intervalMs },
    { clock: request.io.clock },
  );
  if (health.ok) return { ok: true, snapshotId, detail: `restored ${snapshotId}; healthy after ${formatDuration(health.elapsedMs)}` };
  const failed = health.checks.find((check) => check.status === 'failed');
  return { ok: false, snapshotId, detail: `restored ${snapshotId} but it is not healthy: ${failed?.at}: ${failed?.detail}`, manualCommand };
}
