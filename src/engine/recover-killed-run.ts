// A run killed mid-run (SIGKILL, a killed job, power loss) leaves its run journal behind. Whoever comes next on the same
// state directory holding the lock (so the journal's writer is certainly gone) — the action's post step, or the next
// CLI run or rollback — finishes its story: if production was in flight it is rolled back to the journal's snapshot
// first; then the killed run is recorded (`history` shows it) with what really happened, and the journal is removed.
import { join } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { EnvironmentName } from '../config/types.js';
import { maskDeep } from '../exec/mask.js';
import { endGroups } from '../exec/process-groups.js';
import { IN_FLIGHT_PHASE_NAMES } from './in-flight.js';
import { STAGE_IDS, type Result, type RollbackRecord } from './model.js';
import { createRecordStore, type DeploymentRecord } from './records.js';
import { restoreEnvironment } from './restore-environment.js';
import { readJournal, removeJournal, type JournalEntry } from './run-journal.js';
import type { StageIo } from './stage.js';

export interface RecoveryRequest {
  stateDir: string;
  io: StageIo;
  cli: string;
  /** Who recovers, for the record: "the next run", "the post step". */
  by: string;
  /** Masks declared secrets before anything is recorded. */
  mask: (text: string) => string;
}

export interface Recovery {
  /** One line for the output: "recovered a run that was killed during …". */
  description: string;
  /** Where the killed run stopped: "during the production health checks", "during build". */
  stoppedAt: string;
  /** The record of the killed run, as appended. */
  record: DeploymentRecord;
  /** Production's rollback, when the run was killed with production in flight. */
  rollback?: RollbackRecord;
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
  rollback?: RollbackRecord;
}

/** Where a killed run stopped: "during the production health checks", "during build". */
export function whereStopped(entry: JournalEntry): string {
  return entry.inFlight ? IN_FLIGHT_PHASE_NAMES[entry.inFlight.phase] : `during ${entry.stage ?? 'its start'}`;
}

/** What the killed run did to production, rolling it back first when it was left unverified. */
async function verdictOf(entry: JournalEntry, request: RecoveryRequest): Promise<Verdict> {
  const where = `killed ${whereStopped(entry)} (pid ${entry.pid})`;
  if (entry.inFlight) {
    const rollback = await rollBackKilled(entry, entry.inFlight, request);
    const killed = `killed ${whereStopped(entry)} of ${entry.version} (pid ${entry.pid}, since ${entry.inFlight.phaseStartedAt ?? entry.inFlight.openedAt})`;
    return rollback.status === 'passed'
      ? { result: 'rolled-back', reason: `${killed}; production rolled back to ${entry.inFlight.snapshotId} by ${request.by}`, production: false, rollback }
      : {
          result: 'failed',
          reason: `${killed}; production NOT restored by ${request.by}: ${rollback.detail}${rollback.manualCommand ? `; roll back by hand: ${rollback.manualCommand}` : ''}`,
          production: true,
          rollback,
        };
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

/** Recovers a killed run if its journal is here; returns what was done, or undefined when there was none. */
export async function recoverKilledRun(request: RecoveryRequest): Promise<Recovery | undefined> {
  const entry = readJournal(request.stateDir);
  if (!entry) return undefined;
  const records = createRecordStore(join(request.stateDir, 'records.jsonl'));
  // Killed after its own record was written (finalize writes it): nothing to add.
  if ((await records.list()).some((record) => record.id === entry.runId)) {
    removeJournal(request.stateDir);
    return undefined;
  }
  // Its commands lead their own process groups and outlive it: end them before touching what they were changing.
  const survivors = await endGroups(entry.groups ?? []);
  if (survivors.length > 0) throw new Error(`process groups ${survivors.join(', ')} of the killed run (pid ${entry.pid}) would not end`);
  const verdict = await verdictOf(entry, request);
  // Staging passed if the run got past it; production keeps the new version unless restored or never deployed.
  const stagingPassed = entry.environments.includes('staging') && STAGE_IDS.indexOf(entry.stage ?? 'validate') > STAGE_IDS.indexOf('staging');
  const deployedTo: EnvironmentName[] = [...(stagingPassed ? (['staging'] as const) : []), ...(verdict.production ? (['production'] as const) : [])];
  const record: DeploymentRecord = {
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
    // Until it was last seen alive, not until now: it may have been killed long before this recovery.
    durationMs: Date.parse(entry.updatedAt ?? entry.startedAt) - Date.parse(entry.startedAt),
    deployedTo,
  };
  await records.append(maskDeep(record, request.mask));
  removeJournal(request.stateDir);
  return { description: `recovered a run that was ${verdict.reason}`, stoppedAt: whereStopped(entry), record, ...(verdict.rollback ? { rollback: verdict.rollback } : {}) };
}
