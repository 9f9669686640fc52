// The run journal: <state-dir>/run-journal.json, written atomically by the run that holds the lock (the CLI's and the
// action's alike) — when it starts, at each stage, when production's in-flight window opens, moves on or closes, and
// as each command's process group starts and ends — and removed once the run is recorded. A journal left behind means
// the run was killed (SIGKILL, a killed job, power loss): the action's post step, or the next CLI run or rollback on
// this state directory, ends its commands, rolls production back if it was in flight, and records it
// (recover-killed-run.ts). Synchronous on purpose: each state is on disk before the step it describes starts.
import { readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../exec/atomic-write.js';
import { IN_FLIGHT_PHASE_NAMES, type InFlight, type InFlightOutcome, type RunInfo, type StoppedInFlight } from './in-flight.js';
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
  /** Process groups of the commands running now (each command leads its own). */
  groups?: number[];
  /** When the journal was last written: the run was alive then. */
  updatedAt?: string;
}

export function journalFile(stateDir: string): string {
  return join(stateDir, 'run-journal.json');
}

function writeJournal(file: string, entry: JournalEntry, durable: boolean): void {
  writeFileAtomicSync(file, `${JSON.stringify({ ...entry, updatedAt: new Date().toISOString() }, null, 2)}\n`, { durable });
}

export function runJournal(stateDir: string): InFlight {
  const file = journalFile(stateDir);
  let entry: JournalEntry | undefined;
  /** A state that must be on disk before what it describes starts: failing to write it stops that step. */
  const save = (next: JournalEntry, what: string, durable = true) => {
    try {
      writeJournal(file, next, durable);
      entry = next;
    } catch (error) {
      throw new Error(`cannot write the run journal ${file}, so ${what}: ${(error as Error).message}`);
    }
  };
  /** A state that only makes a later record more precise: the previous journal is kept if it cannot be written. */
  const refine = (next: JournalEntry, durable = true) => {
    try {
      save(next, 'it keeps the previous state', durable);
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
      removeJournal(stateDir);
    },
    // Process groups do not outlive a reboot, so these writes need not survive a power loss: no fsync per command.
    commandGroups: {
      started(pgid) {
        if (entry) refine({ ...entry, groups: [...(entry.groups ?? []), pgid] }, false);
      },
      ended(pgid) {
        if (entry?.groups?.includes(pgid)) refine({ ...entry, groups: entry.groups.filter((group) => group !== pgid) }, false);
      },
    },
  };
}

/** The journal a killed run left, or undefined when there is none. One that is there but cannot be read is an error:
 *  it may be the only trace of a production deploy that was never verified, so it is never passed over in silence. */
export function readJournal(stateDir: string): JournalEntry | undefined {
  const file = journalFile(stateDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  let entry: JournalEntry | undefined;
  try {
    entry = JSON.parse(text) as JournalEntry;
  } catch {
    // Checked below.
  }
  if (!entry || typeof entry !== 'object' || typeof entry.pid !== 'number' || typeof entry.target !== 'string' || typeof entry.runId !== 'string') {
    throw new Error(
      `${file} is not a run journal meta-deploy can read: a killed run may have left production unverified; check what production runs (meta-deploy rollback can restore it), then remove the file`,
    );
  }
  if (entry.inFlight && !Object.hasOwn(IN_FLIGHT_PHASE_NAMES, entry.inFlight.phase)) entry.inFlight.phase = 'deploying';
  return entry;
}

export function removeJournal(stateDir: string): void {
  rmSync(journalFile(stateDir), { force: true });
}
