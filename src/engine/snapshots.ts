// Snapshots persisted in <state-dir>/snapshots/, one JSON file per environment per run, written before that
// environment changes. `meta-deploy rollback` finds the newest one for a target and environment, and only ids
// recorded here (or plain names) are accepted from `--to`.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnvironmentName } from '../config/types.js';
import { writeFileAtomic } from '../exec/atomic-write.js';
import { quoteValue } from '../plan/inputs.js';

export interface SavedSnapshot {
  target: string;
  environment: EnvironmentName;
  id?: string;
  /** The version the snapshot runs, when the provider knew it. */
  version?: string;
  takenAt: string;
}

export function snapshotFile(stateDir: string, runId: string, environment: EnvironmentName): string {
  return join(stateDir, 'snapshots', `${runId}-${environment}.json`);
}

export async function saveSnapshot(file: string, snapshot: SavedSnapshot & Record<string, unknown>): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(snapshot, null, 2)}\n`);
}

/** Snapshots (with an id) saved for a target and environment, oldest first. */
export async function savedSnapshots(stateDir: string, target: string, environment: EnvironmentName): Promise<SavedSnapshot[]> {
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

/** What `--to` may name: a recorded snapshot, or a plain id that no shell or option parser reads as anything else. */
const SAFE_SNAPSHOT_ID = /^[A-Za-z0-9._:@+/-]{1,200}$/;

export async function snapshotIdProblem(stateDir: string, target: string, environment: EnvironmentName, id: string): Promise<string | undefined> {
  if ((await savedSnapshots(stateDir, target, environment)).some((snapshot) => snapshot.id === id)) return undefined;
  if (SAFE_SNAPSHOT_ID.test(id) && !id.startsWith('-') && !id.split('/').includes('..')) return undefined;
  return `snapshot id ${quoteValue(id)} is neither a snapshot recorded for ${target}/${environment} nor a plain id (letters, digits and . _ : @ + / -, not starting with -, no .. segment)`;
}
