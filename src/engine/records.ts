// The append-only deployment record: one JSON line per run. Each line is written by a single append + fsync, and a
// reader skips a torn last line, so a crash mid-write can cost at most that run's own line, never earlier ones.
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EnvironmentName } from '../config/types.js';
import type { Deployment, Result, StageId } from './model.js';

export interface DeploymentRecord {
  id: string;
  /** Absent for a deployment run; `rollback` for `meta-deploy rollback` and the action's post step. */
  kind?: 'rollback';
  target: string;
  version: string;
  previousVersion?: string;
  environments: EnvironmentName[];
  result: Result;
  failedStage?: StageId;
  reason?: string;
  snapshotId?: string;
  sha?: string;
  startedAt: string;
  durationMs?: number;
  /** Environments left running this version (deployed and not rolled back). */
  deployedTo: EnvironmentName[];
  report?: string;
}

export interface RecordStore {
  file: string;
  append(record: DeploymentRecord): Promise<void>;
  list(): Promise<DeploymentRecord[]>;
  /** Version last left running in an environment for a target, if any. */
  lastDeployedVersion(target: string, environment: EnvironmentName): Promise<string | undefined>;
}

export function recordOf(deployment: Deployment): DeploymentRecord {
  const deployedTo = deployment.environments.filter((name) => {
    const stage = deployment.stages[name];
    if (name === 'staging') return stage.status === 'passed';
    // Production keeps this version unless a rollback restored the snapshot: a skipped or failed rollback (a first
    // deployment, a broken rollback command) may leave it running, and the record must not claim it is gone.
    const production = deployment.stages.production;
    const deployed = production.status === 'passed' || production.data?.deploy?.status === 'passed';
    const verify = deployment.stages.verify;
    const restored =
      production.status === 'rolled-back' || verify.status === 'rolled-back' || production.data?.rollback?.status === 'passed' || verify.data?.rollback?.status === 'passed';
    return deployed && !restored;
  });
  return {
    id: deployment.id,
    target: deployment.target,
    version: deployment.version,
    previousVersion: deployment.previousVersion,
    environments: deployment.environments,
    result: deployment.result ?? 'failed',
    failedStage: deployment.failedStage,
    reason: deployment.reason,
    snapshotId: deployment.snapshotId,
    sha: deployment.sha,
    startedAt: deployment.startedAt,
    // Finalize writes the record before the run ends: then the duration is the time so far.
    durationMs: deployment.durationMs ?? Date.now() - Date.parse(deployment.startedAt),
    deployedTo,
    report: deployment.reportFile,
  };
}

export function createRecordStore(file: string): RecordStore {
  async function list(): Promise<DeploymentRecord[]> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      return [];
    }
    const records: DeploymentRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const record: unknown = JSON.parse(line);
        if (record && typeof record === 'object' && Array.isArray((record as DeploymentRecord).deployedTo)) records.push(record as DeploymentRecord);
      } catch {
        // A torn line from a crash mid-append: skip it, keep the rest.
      }
    }
    return records;
  }

  return {
    file,
    list,
    async append(record) {
      await mkdir(dirname(file), { recursive: true });
      const handle = await open(file, 'a+');
      try {
        // If a crash left a torn line without its newline, start ours on a fresh line.
        const { size } = await handle.stat();
        let prefix = '';
        if (size > 0) {
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, size - 1);
          if (last[0] !== 0x0a) prefix = '\n';
        }
        await handle.write(`${prefix}${JSON.stringify(record)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async lastDeployedVersion(target, environment) {
      const records = await list();
      for (let index = records.length - 1; index >= 0; index--) {
        const record = records[index]!;
        if (record.target === target && record.deployedTo.includes(environment)) return record.version;
      }
      return undefined;
    },
  };
}
