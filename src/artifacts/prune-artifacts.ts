// The store of verified builds, <state-dir>/artifacts/<run id>/ with its files beside each (artifact-store.ts): keeps the newest `keep` builds and never removes a
// protected one (this run's, the one production runs, the one its snapshot points to). A build that cannot be removed
// is reported, not fatal.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { besideFilesOf } from './artifact-store.js';

export interface Pruned {
  removed: string[];
  problems: string[];
}

export async function pruneArtifacts(store: string, keep: number, protectedIds: string[]): Promise<Pruned> {
  const entries = await readdir(store, { withFileTypes: true }).catch(() => []);
  const builds = await Promise.all(
    entries.filter((entry) => entry.isDirectory()).map(async (entry) => ({ id: entry.name, mtimeMs: (await stat(join(store, entry.name)).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  const newestFirst = builds.sort((a, b) => b.mtimeMs - a.mtimeMs || b.id.localeCompare(a.id));
  const pruned: Pruned = { removed: [], problems: [] };
  for (const build of newestFirst.slice(keep)) {
    if (protectedIds.includes(build.id)) continue;
    try {
      await rm(join(store, build.id), { recursive: true, force: true });
      // Its manifest, report and debug details live beside it.
      for (const file of Object.values(besideFilesOf(join(store, build.id)))) await rm(file, { force: true });
      pruned.removed.push(build.id);
    } catch (error) {
      pruned.problems.push(`could not prune ${build.id}: ${(error as Error).message}`);
    }
  }
  return pruned;
}
