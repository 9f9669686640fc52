// A CLI run killed mid-run (SIGKILL, power loss) leaves its run journal behind. The next run or rollback on the same
// state directory, holding the lock (so the journal's writer is certainly gone), finishes its story: if production was
// in flight it is rolled back to the journal's snapshot first; then the killed run is recorded (`history` shows it)
// with what really happened, and the journal is removed.
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { EnvironmentName } from '../config/types.js';
import { IN_FLIGHT_PHASE_NAMES } from './in-flight.js';
import { STAGE_IDS, type Result, type RollbackRecord } from './model.js';
import { createRecordStore } from './records.js';
import { restoreEnvironment } from './restore-environment.js';
import { readJournal, removeJournal, type JournalEntry } from './run-journal.js';
import type { StageIo } from './stage.js';

export interface RecoveryRequest {
  stateDir: string;
  io: StageIo;
  cli: string;
}

async function rollBackKilled(entry: JournalEntry, inFlight: NonNullable<JournalEntry['inFlight']>, request: RecoveryRequest): Promise<RollbackRecord> {
  const failed = (detail: string): RollbackRecord => ({ status: 'failed', detail, durationMs: 0 });
  if (!inFlight.snapshotId) return failed('nothing to roll back to (first deployment to production); production may run a partial deploy');
  const loaded = await loadConfig(inFlight.configFile);
  if (!loaded.ok) return failed(`cannot roll back: ${inFlight.configFile} no longer loads (${loaded.problems[0]?.message})`);
  const environment = loaded.config.targets[entry.target]?.environments.production;
  if (!environment) return failed(`cannot roll back: target ${JSON.stringify(entry.target)} has no production in ${inFlight.configFile}`);
  return restoreEnvironment({
    configFile: inFlight.configFile,
    target: entry.target,
    environment,
    snapshotId: inFlight.snapshotId,
    ...(inFlight.snapshotVersion ? { snapshotVersion: inFlight.snapshotVersion } : {}),
    version: entry.version,
    workspace: inFlight.workspace,
    io: request.io,
    cli: request.cli,
  });
}

interface Verdict {
  result: Result;
  reason: string;
  /** Whether production was left running the killed run's version. */
  production: boolean;
}

/** What the killed run did to production, rolling it back first when it was left unverified. */
async function verdictOf(entry: JournalEntry, request: RecoveryRequest): Promise<Verdict> {
  const where = `killed during ${entry.stage ?? 'its start'} (pid ${entry.pid})`;
  if (entry.inFlight) {
    const rollback = await rollBackKilled(entry, entry.inFlight, request);
    const killed = `killed ${IN_FLIGHT_PHASE_NAMES[entry.inFlight.phase]} of ${entry.version} (pid ${entry.pid}, since ${entry.inFlight.phaseStartedAt ?? entry.inFlight.openedAt})`;
    return rollback.status === 'passed'
      ? { result: 'rolled-back', reason: `${killed}; production rolled back to ${entry.inFlight.snapshotId} by the next run`, production: false }
      : { result: 'failed', reason: `${killed}; production NOT restored: ${rollback.detail}${rollback.manualCommand ? `; roll back by hand: ${rollback.manualCommand}` : ''}`, production: true };
  }
  switch (entry.closed) {
    case 'healthy':
      return { result: 'success', reason: `${where}, after production passed verification: ${entry.version} stays`, production: true };
    case 'rolled-back':
      return { result: 'rolled-back', reason: `${where}, after production was rolled back`, production: false };
    case 'rollback-failed':
      return { result: 'failed', reason: `${where}, after production's rollback failed`, production: true };
    default:
      return { result: 'failed', reason: `${where}; production unchanged`, production: false };
  }
}

/** Recovers a killed run if its journal is here; returns what was done, for the output, or undefined. */
export async function recoverKilledRun(request: RecoveryRequest): Promise<string | undefined> {
  const entry = readJournal(request.stateDir);
  if (!entry) return undefined;
  const records = createRecordStore(join(request.stateDir, 'records.jsonl'));
  // Killed after its own record was written (finalize writes it): nothing to add.
  if ((await records.list()).some((record) => record.id === entry.runId)) {
    removeJournal(request.stateDir);
    return undefined;
  }
  const verdict = await verdictOf(entry, request);
  // Staging passed if the run got past it; production keeps the new version unless restored or never deployed.
  const stagingPassed = entry.environments.includes('staging') && STAGE_IDS.indexOf(entry.stage ?? 'validate') > STAGE_IDS.indexOf('staging');
  const deployedTo: EnvironmentName[] = [...(stagingPassed ? (['staging'] as const) : []), ...(verdict.production ? (['production'] as const) : [])];
  await records.append({
    id: entry.runId,
    target: entry.target,
    version: entry.version,
    ...(entry.previousVersion ? { previousVersion: entry.previousVersion } : {}),
    environments: entry.environments,
    result: verdict.result,
    ...(verdict.result !== 'success' && entry.stage ? { failedStage: entry.stage } : {}),
    reason: verdict.reason,
    ...(entry.inFlight?.snapshotId ? { snapshotId: entry.inFlight.snapshotId } : {}),
    startedAt: entry.startedAt,
    durationMs: Date.now() - Date.parse(entry.startedAt),
    deployedTo,
  });
  removeJournal(request.stateDir);
  return `recovered a run that was ${verdict.reason}`;
}
