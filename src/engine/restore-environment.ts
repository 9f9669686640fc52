// One environment of a target restored to a snapshot outside a run (`meta-deploy rollback`, the post step, recovery of
// a killed run): the run's placeholders rebuilt from what is known, then restoreSnapshot. The caller holds the lock and
// writes the record.
import type { EnvironmentConfig } from '../config/types.js';
import { placeholderEnv } from '../exec/placeholders.js';
import type { RollbackRecord } from './model.js';
import { placeholdersFor } from './placeholders-for.js';
import { restoreSnapshot } from './restore-snapshot.js';
import type { StageIo } from './stage.js';

export interface RestoreEnvironmentRequest {
  configFile: string;
  target: string;
  environment: EnvironmentConfig;
  snapshotId: string;
  /** The version the snapshot runs, when known. */
  snapshotVersion?: string;
  /** The version being replaced, when known. */
  version?: string;
  workspace: string;
  io: StageIo;
  cli: string;
}

export async function restoreEnvironment(request: RestoreEnvironmentRequest): Promise<RollbackRecord> {
  const { environment, snapshotId } = request;
  const placeholders = placeholdersFor({ target: request.target, version: request.version ?? '', snapshot: snapshotId }, environment);
  const env = placeholderEnv(placeholders);
  return restoreSnapshot({
    environment,
    snapshotId,
    snapshotVersion: request.snapshotVersion,
    manual: { program: request.cli, workspace: request.workspace, configFile: request.configFile, target: request.target },
    provider: { workspace: request.workspace, environment, placeholders, env, runner: request.io.runner, artifactsDir: '', label: `rollback/${environment.name}` },
    checks: { workspace: request.workspace, placeholders, env, runner: request.io.runner, http: request.io.http, tcp: request.io.tcp, label: 'health after rollback' },
    clock: request.io.clock,
  });
}
