// The deploy order of a `local` environment (<path>/releases.json): which release went live when, so pruning removes
// the oldest deployed rather than the oldest named. Written whole to a temp file, fsynced, then renamed over the old
// one, so a crash leaves either the old or the new ledger, never half of one.
import { writeFileAtomic } from '../exec/atomic-write.js';
import { readFile } from 'node:fs/promises';

export interface LedgerEntry {
  /** Directory name under releases/, e.g. "1.2.3" or "1.2.3+1" for a redeploy of the running version. */
  id: string;
  /** Version deployed, kept here because a build-metadata version ("1.2.3+5") looks like a redeploy suffix. */
  version: string;
  deployedAt: string;
}

export interface ReleaseLedger {
  /** Oldest deployment first. */
  releases: LedgerEntry[];
}

/** An absent or unreadable ledger is an empty one: the releases on disk are then treated as older than any recorded. */
export async function readReleaseLedger(file: string): Promise<ReleaseLedger> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { releases: [] };
  }
  try {
    const parsed = JSON.parse(text) as { releases?: unknown };
    const releases = Array.isArray(parsed.releases) ? parsed.releases.filter(isLedgerEntry) : [];
    return { releases };
  } catch {
    return { releases: [] };
  }
}

export async function writeReleaseLedger(file: string, ledger: ReleaseLedger): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(ledger, null, 2)}\n`);
}

/** Moves `id` to the newest position. */
export function recordDeployment(ledger: ReleaseLedger, entry: LedgerEntry): ReleaseLedger {
  return { releases: [...ledger.releases.filter((release) => release.id !== entry.id), entry] };
}

function isLedgerEntry(value: unknown): value is LedgerEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return typeof entry.id === 'string' && typeof entry.version === 'string' && typeof entry.deployedAt === 'string';
}
