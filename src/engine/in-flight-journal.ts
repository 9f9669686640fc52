// The CLI's record of an open in-flight window: <state-dir>/in-flight.json, written atomically (temp file, fsync,
// rename) before the production deploy starts and removed once production is healthy or rolled back. A journal whose
// owner is dead means a run was killed (SIGKILL, power loss) with production possibly unverified: the next run or
// rollback on this state directory rolls it back first (recover-killed-run.ts).
import { fsyncSync, openSync, closeSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { IN_FLIGHT_PHASES, type InFlight, type StoppedInFlight } from './in-flight.js';

export interface JournalEntry extends StoppedInFlight {
  pid: number;
  host: string;
  openedAt: string;
}

export function journalFile(stateDir: string): string {
  return join(stateDir, 'in-flight.json');
}

/** Synchronous on purpose: the journal must be on disk before the deploy command starts. */
function writeJournal(file: string, entry: JournalEntry): void {
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, `${JSON.stringify(entry, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
}

export function journalInFlight(stateDir: string): InFlight {
  const file = journalFile(stateDir);
  let entry: JournalEntry | undefined;
  return {
    opened(info) {
      const now = new Date().toISOString();
      entry = { ...info, phase: 'deploying', phaseStartedAt: now, pid: process.pid, host: hostname(), openedAt: now };
      try {
        writeJournal(file, entry);
      } catch (error) {
        // Without the journal a killed run could not be rolled back later: do not deploy.
        throw new Error(`cannot write the in-flight journal ${file}, so production was not deployed: ${(error as Error).message}`);
      }
    },
    phase(phase) {
      if (!entry) return;
      entry = { ...entry, phase, phaseStartedAt: new Date().toISOString() };
      // Best effort: the journal from `opened` is enough to roll back; the phase only makes the record more precise.
      try {
        writeJournal(file, entry);
      } catch {
        // Keep the previous journal.
      }
    },
    closed() {
      entry = undefined;
      rmSync(file, { force: true });
    },
  };
}

export function readJournal(stateDir: string): JournalEntry | undefined {
  try {
    const entry = JSON.parse(readFileSync(journalFile(stateDir), 'utf8')) as JournalEntry;
    if (!entry || typeof entry !== 'object' || typeof entry.pid !== 'number' || typeof entry.target !== 'string') return undefined;
    return IN_FLIGHT_PHASES.includes(entry.phase) ? entry : { ...entry, phase: 'deploying' };
  } catch {
    return undefined;
  }
}

export function removeJournal(stateDir: string): void {
  rmSync(journalFile(stateDir), { force: true });
}
