// The CLI's run journal: <state-dir>/run-journal.json, written atomically (temp file, fsync, rename) by the run that
// holds the lock — when it starts, at each stage, when production's in-flight window opens, moves on or closes — and
// removed once the run is recorded. A journal left behind means the run was killed (SIGKILL, power loss): the next
// run or rollback on this state directory records it, rolling production back first if it was in flight
// (recover-killed-run.ts). Synchronous on purpose: each state is on disk before the step it describes starts.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { IN_FLIGHT_PHASES, type InFlight, type InFlightOutcome, type RunInfo, type StoppedInFlight } from './in-flight.js';
import type { StageId } from './model.js';

export interface JournalEntry extends RunInfo {
  pid: number;
  host: string;
  /** The stage running when the journal was last written. */
  stage?: StageId;
  /** Production's in-flight window, while open. */
  inFlight?: StoppedInFlight & { openedAt: string };
  /** How the window closed, once it did. */
  closed?: InFlightOutcome;
}

export function journalFile(stateDir: string): string {
  return join(stateDir, 'run-journal.json');
}

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

export function runJournal(stateDir: string): InFlight {
  const file = journalFile(stateDir);
  let entry: JournalEntry | undefined;
  /** A state that must be on disk before what it describes starts: failing to write it stops that step. */
  const save = (next: JournalEntry, what: string) => {
    try {
      writeJournal(file, next);
      entry = next;
    } catch (error) {
      throw new Error(`cannot write the run journal ${file}, so ${what}: ${(error as Error).message}`);
    }
  };
  /** A state that only makes a later record more precise: the previous journal is kept if it cannot be written. */
  const refine = (next: JournalEntry) => {
    try {
      save(next, 'it keeps the previous state');
    } catch {
      // The journal on disk still says enough to recover.
    }
  };
  return {
    runStarted(info) {
      save({ ...info, pid: process.pid, host: hostname() }, 'the run did not start');
    },
    stageStarted(stage) {
      if (entry) refine({ ...entry, stage });
    },
    opened(info) {
      const now = new Date().toISOString();
      if (entry) save({ ...entry, inFlight: { ...info, phase: 'deploying', phaseStartedAt: now, openedAt: now } }, 'production was not deployed');
    },
    phase(phase) {
      if (entry?.inFlight) refine({ ...entry, inFlight: { ...entry.inFlight, phase, phaseStartedAt: new Date().toISOString() } });
    },
    closed(outcome) {
      if (!entry) return;
      // If this cannot be written, a later run rolls production back to the snapshot: the previous release, safe.
      const { inFlight: _closed, ...rest } = entry;
      refine({ ...rest, closed: outcome });
    },
    runEnded() {
      entry = undefined;
      rmSync(file, { force: true });
    },
  };
}

export function readJournal(stateDir: string): JournalEntry | undefined {
  try {
    const entry = JSON.parse(readFileSync(journalFile(stateDir), 'utf8')) as JournalEntry;
    if (!entry || typeof entry !== 'object' || typeof entry.pid !== 'number' || typeof entry.target !== 'string') return undefined;
    if (entry.inFlight && !IN_FLIGHT_PHASES.includes(entry.inFlight.phase)) entry.inFlight.phase = 'deploying';
    return entry;
  } catch {
    return undefined;
  }
}

export function removeJournal(stateDir: string): void {
  rmSync(journalFile(stateDir), { force: true });
}
