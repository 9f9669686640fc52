// A run killed inside production's in-flight window (SIGKILL, a crash) leaves its journal behind. The next run or
// rollback on the same state directory, holding the lock (so the journal's writer is certainly gone), rolls production
// back to the journal's snapshot, records the killed run so `history` shows it, and removes the journal.
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { IN_FLIGHT_PHASE_NAMES } from './in-flight.js';
import { readJournal, removeJournal, type JournalEntry } from './in-flight-journal.js';
import type { RollbackRecord } from './model.js';
import { createRecordStore } from './records.js';
import { restoreEnvironment } from './restore-environment.js';
import { newRunId } from './run-id.js';
import type { StageIo } from './stage.js';

export interface RecoveryRequest {
  stateDir: string;
  io: StageIo;
  cli: string;
}

async function rollBackKilled(entry: JournalEntry, request: RecoveryRequest): Promise<RollbackRecord> {
  const failed = (detail: string): RollbackRecord => ({ status: 'failed', detail, durationMs: 0 });
  if (!entry.snapshotId) return failed('nothing to roll back to (first deployment to production); production may run a partial deploy');
  const loaded = await loadConfig(entry.configFile);
  if (!loaded.ok) return failed(`cannot roll back: ${entry.configFile} no longer loads (${loaded.problems[0]?.message})`);
  const environment = loaded.config.targets[entry.target]?.environments.production;
  if (!environment) return failed(`cannot roll back: target ${JSON.stringify(entry.target)} has no production in ${entry.configFile}`);
  return restoreEnvironment({
    configFile: entry.configFile,
    target: entry.target,
    environment,
    snapshotId: entry.snapshotId,
    ...(entry.snapshotVersion ? { snapshotVersion: entry.snapshotVersion } : {}),
    version: entry.version,
    workspace: entry.workspace,
    io: request.io,
    cli: request.cli,
  });
}

/** Recovers a killed run if its journal is here; returns what was done, for the output, or undefined. */
export async function recoverKilledRun(request: RecoveryRequest): Promise<string | undefined> {
  const entry = readJournal(request.stateDir);
  if (!entry) return undefined;
  const rollback = await rollBackKilled(entry, request);
  const restored = rollback.status === 'passed';
  const killed = `killed ${IN_FLIGHT_PHASE_NAMES[entry.phase]} of ${entry.version} (pid ${entry.pid}, since ${entry.phaseStartedAt ?? entry.openedAt})`;
  const reason = restored
    ? `${killed}; production rolled back to ${entry.snapshotId} by the next run`
    : `${killed}; production NOT restored: ${rollback.detail}${rollback.manualCommand ? `; roll back by hand: ${rollback.manualCommand}` : ''}`;
  const stagingDeployed = entry.environments?.includes('staging') ?? false;
  const openedAt = Date.parse(entry.openedAt);
  const startedAt = entry.runStartedAt ?? entry.openedAt;
  const records = createRecordStore(join(request.stateDir, 'records.jsonl'));
  await records.append({
    id: entry.runId ?? newRunId(`${entry.target}-${entry.version}`, new Date(Number.isNaN(openedAt) ? Date.now() : openedAt)),
    target: entry.target,
    version: entry.version,
    ...(entry.previousVersion ? { previousVersion: entry.previousVersion } : {}),
    environments: entry.environments ?? ['production'],
    result: restored ? 'rolled-back' : 'failed',
    reason,
    ...(entry.snapshotId ? { snapshotId: entry.snapshotId } : {}),
    startedAt,
    durationMs: Date.now() - Date.parse(startedAt),
    // Staging passed before production opened the window; production keeps the new version unless restored.
    deployedTo: [...(stagingDeployed ? (['staging'] as const) : []), ...(restored ? [] : (['production'] as const))],
  });
  removeJournal(request.stateDir);
  return `recovered a run that was ${reason}`;
}
