// The built-in `local` provider: <path>/releases/<version>/ holds a copy of the verified artifacts and <path>/current
// is a symlink to the live release. Switching `current` is one rename(2) of a fresh symlink over the old one, so a
// reader always finds a complete release, old or new; rolling back is the same switch to an older release.
import { randomUUID } from 'node:crypto';
import { cp, lstat, mkdir, readdir, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EnvironmentConfig } from '../config/types.js';
import { readReleaseLedger, recordDeployment, writeReleaseLedger, type ReleaseLedger } from './release-ledger.js';
import type { Provider, ProviderContext, ProviderOutcome, SnapshotOutcome } from './types.js';

interface Layout {
  root: string;
  releases: string;
  current: string;
  ledger: string;
}

/** What `current` points at now. `id` is undefined before the first deployment or when the target is gone. */
interface Current {
  id?: string;
  note?: string;
}

export const localProvider: Provider = {
  kind: 'local',

  describe(environment) {
    return `local: releases + atomic current symlink in ${environment.path ?? '(no path)'}`;
  },

  snapshot: (context) =>
    measured(context, async (layout): Promise<SnapshotOutcome> => {
      const current = await readCurrent(layout);
      if (current.id === undefined) return { ok: true, durationMs: 0, detail: current.note ?? '' };
      const ledger = await readReleaseLedger(layout.ledger);
      const version = versionOf(current.id, ledger);
      return { ok: true, durationMs: 0, snapshotId: current.id, version, detail: `current → releases/${current.id}` };
    }),

  deploy: (context, version) =>
    measured(context, async (layout) => {
      assertReleaseId(version, 'version');
      await mkdir(layout.releases, { recursive: true });
      const previous = (await readCurrent(layout)).id;
      const id = await chooseReleaseId(layout, version, previous);
      await installRelease(layout, id, context.artifactsDir);
      const ledger = recordDeployment(await readReleaseLedger(layout.ledger), {
        id,
        version,
        deployedAt: new Date().toISOString(),
      });
      // Recorded before the switch: a crash in between leaves an extra entry, never a live release without one.
      await writeReleaseLedger(layout.ledger, ledger);
      await pointCurrentAt(layout, id);
      const pruned = await pruneReleases(layout, ledger, context.environment.keep, [id, previous]);
      const notes = [
        describeSwitch(id, previous),
        pruned.removed.length > 0 ? `pruned ${pruned.removed.join(', ')}` : '',
        ...pruned.problems,
      ].filter((note) => note !== '');
      return { ok: true, durationMs: 0, detail: notes.join('; ') };
    }),

  rollback: (context, snapshotId) =>
    measured(context, async (layout) => {
      assertReleaseId(snapshotId, 'snapshot id');
      const target = path.join(layout.releases, snapshotId);
      if (!(await isDirectory(target))) {
        const available = await listReleases(layout);
        throw new Error(
          `release ${snapshotId} not found in ${layout.releases} (pruned, or never deployed here; available: ${
            available.length > 0 ? available.join(', ') : 'none'
          })`,
        );
      }
      const previous = (await readCurrent(layout)).id;
      await pointCurrentAt(layout, snapshotId);
      return { ok: true, durationMs: 0, detail: describeSwitch(snapshotId, previous) };
    }),

};

/** Resolves the layout, runs the step, and turns expected failures into an outcome naming the config path. */
async function measured<T extends ProviderOutcome>(
  context: ProviderContext,
  step: (layout: Layout) => Promise<T>,
): Promise<T | ProviderOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const { environment } = context;
  if (environment.path === undefined || environment.path === '') {
    return { ok: false, durationMs: 0, detail: `${environment.at}.path is required by the local provider` };
  }
  try {
    const outcome = await step(layoutOf(context.workspace, environment));
    return { ...outcome, durationMs: elapsed() };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, durationMs: elapsed(), detail: `${environment.at} (local): ${message}` };
  }
}

function layoutOf(workspace: string, environment: EnvironmentConfig): Layout {
  const root = path.resolve(workspace, environment.path ?? '');
  return {
    root,
    releases: path.join(root, 'releases'),
    current: path.join(root, 'current'),
    ledger: path.join(root, 'releases.json'),
  };
}

async function readCurrent(layout: Layout): Promise<Current> {
  let info;
  try {
    info = await lstat(layout.current);
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) {
      return { note: `no release is current in ${layout.root} yet: nothing to roll back to` };
    }
    throw error;
  }
  if (!info.isSymbolicLink()) {
    throw new Error(`${layout.current} exists and is not a symlink; the local provider only manages a symlink`);
  }
  const id = path.basename(await readlink(layout.current));
  if (!(await isDirectory(path.join(layout.releases, id)))) {
    return { note: `current points to releases/${id}, which does not exist: nothing to roll back to` };
  }
  return { id };
}

/** Same version as the live one gets a fresh `<version>+<n>` directory: the live files are never overwritten. */
async function chooseReleaseId(layout: Layout, version: string, current: string | undefined): Promise<string> {
  if (version !== current) return version;
  for (let n = 1; ; n += 1) {
    const id = `${version}+${n}`;
    if (!(await exists(path.join(layout.releases, id)))) return id;
  }
}

/** Copies into a hidden directory first, so releases/<id> is either absent, the old copy, or the complete new copy. */
async function installRelease(layout: Layout, id: string, artifactsDir: string): Promise<void> {
  const suffix = `${process.pid}-${randomUUID()}`;
  const incoming = path.join(layout.releases, `.incoming-${suffix}`);
  const outgoing = path.join(layout.releases, `.outgoing-${suffix}`);
  const destination = path.join(layout.releases, id);
  try {
    if (!(await isDirectory(artifactsDir))) throw new Error(`artifacts directory ${artifactsDir} not found`);
    await cp(artifactsDir, incoming, { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false });
    const replacing = await exists(destination);
    if (replacing) await rename(destination, outgoing);
    try {
      await rename(incoming, destination);
    } catch (error) {
      if (replacing) await rename(outgoing, destination);
      throw error;
    }
  } finally {
    await rm(incoming, { recursive: true, force: true });
    await rm(outgoing, { recursive: true, force: true });
  }
}

/** A fresh symlink renamed over `current`: rename(2) replaces it in one step, so `current` never disappears. */
async function pointCurrentAt(layout: Layout, id: string): Promise<void> {
  const temp = path.join(layout.root, `.current-${process.pid}-${randomUUID()}`);
  await symlink(path.join('releases', id), temp);
  try {
    await rename(temp, layout.current);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Removes the oldest deployed releases beyond `keep`. Releases missing from the ledger count as older than any
 * recorded one. Never removes the live release or the one it replaced (the rollback target). A release that cannot be
 * removed is reported, not fatal: the deployment itself succeeded.
 */
async function pruneReleases(
  layout: Layout,
  ledger: ReleaseLedger,
  keep: number,
  protectedIds: (string | undefined)[],
): Promise<{ removed: string[]; problems: string[] }> {
  const onDisk = await listReleases(layout);
  const recorded = ledger.releases.map((entry) => entry.id).filter((id) => onDisk.includes(id));
  const unrecorded = onDisk.filter((id) => !recorded.includes(id)).sort();
  const oldestFirst = [...unrecorded, ...recorded];
  const removed: string[] = [];
  const problems: string[] = [];
  let remaining = oldestFirst.length;
  for (const id of oldestFirst) {
    if (remaining <= keep) break;
    if (protectedIds.includes(id)) continue;
    try {
      await rm(path.join(layout.releases, id), { recursive: true, force: true });
      removed.push(id);
      remaining -= 1;
    } catch (error) {
      problems.push(`could not prune ${id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const kept: ReleaseLedger = {
    releases: ledger.releases.filter((entry) => !removed.includes(entry.id) && onDisk.includes(entry.id)),
  };
  if (kept.releases.length !== ledger.releases.length) {
    try {
      await writeReleaseLedger(layout.ledger, kept);
    } catch (error) {
      problems.push(`could not update ${layout.ledger}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { removed, problems };
}

/** Release directories, skipping the hidden ones a deployment in progress (or a crashed one) leaves. */
async function listReleases(layout: Layout): Promise<string[]> {
  try {
    const entries = await readdir(layout.releases, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name);
  } catch (error) {
    if (isErrorCode(error, 'ENOENT')) return [];
    throw error;
  }
}

function describeSwitch(id: string, previous: string | undefined): string {
  return `current → releases/${id}${previous === undefined ? '' : ` (was releases/${previous})`}`;
}

/** The ledger knows the version; without it, a `+<n>` redeploy suffix is stripped from the directory name. */
function versionOf(id: string, ledger: ReleaseLedger): string {
  return ledger.releases.find((entry) => entry.id === id)?.version ?? id.replace(/\+\d+$/, '');
}

/** Ids come from the CLI (`--to`) too: only a plain directory name under releases/ is accepted. */
function assertReleaseId(id: string, what: string): void {
  if (id === '' || id.startsWith('.') || id.includes('/') || id.includes('\\') || id.includes('\0')) {
    throw new Error(`${what} ${JSON.stringify(id)} is not a release name (a plain directory name under releases/)`);
  }
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

function isErrorCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
