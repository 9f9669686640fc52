// One deployment (or rollback) per state directory at a time. The lock file `deploy.lock` appears atomically with its
// owner inside (pid, host, run id, target, started-at): the owner info is written to a private temp file first, then
// hard-linked to the lock name, and link(2) fails with EEXIST if the lock exists. A lock whose owner is dead (ESRCH
// on this host) is broken under a per-lock guard file taken the same way, re-checking under the guard that the lock is
// still the one found dead, so a live lock is never removed. A busy lock is waited for up to a timeout.
// Self-contained (node: imports only) so that tests can load it in many child processes at once.
import { createHash, randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, readdir, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_NAME = 'deploy.lock';

export interface LockOwner {
  pid: number;
  host: string;
  runId: string;
  target: string;
  startedAt: string;
  /** Unique per acquisition: tells two owners with the same pid apart (containers reuse pids). */
  token: string;
}

export interface Lock {
  release(): Promise<void>;
}

export interface LockRequest {
  stateDir: string;
  runId: string;
  target: string;
  /** How long to wait for a busy lock; 0 fails at once. */
  timeoutMs: number;
  /** Told who holds the lock: when first found busy, then every `progressEveryMs` while waiting. */
  onWait?: (holder: LockOwner | undefined, waitedMs: number) => void;
  progressEveryMs?: number;
  /** Between two attempts while waiting (jittered). */
  pollMs?: number;
  /** Stops waiting (the run was cancelled). */
  signal?: AbortSignal;
}

export type LockResult = { ok: true; lock: Lock } | { ok: false; error: string; holder?: LockOwner };

const DEFAULT_PROGRESS_MS = 30_000;
const DEFAULT_POLL_MS = 200;

/** Tokens of the locks and guards this process holds: a lock carrying our pid but none of these is a dead one. */
const heldHere = new Set<string>();

function parseOwner(content: string): LockOwner | undefined {
  // meta-deploy before 0.2 wrote a bare pid.
  if (/^\d+\s*$/.test(content)) return { pid: Number(content), host: hostname(), runId: 'unknown', target: 'unknown', startedAt: 'unknown', token: '' };
  try {
    const value = JSON.parse(content) as Partial<LockOwner>;
    if (typeof value === 'object' && value && typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return value as LockOwner;
    }
  } catch {
    // Not an owner record.
  }
  return undefined;
}

/** ESRCH is dead; EPERM is alive (another user's process); another host cannot be checked, so it counts as alive. */
function ownerAlive(owner: LockOwner | undefined): boolean {
  if (!owner) return false;
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return heldHere.has(owner.token);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

export function describeOwner(owner: LockOwner | undefined): string {
  if (!owner) return 'an unknown owner';
  const where = owner.host === hostname() ? '' : ` on ${owner.host}`;
  return `pid ${owner.pid}${where}, run ${owner.runId}, target ${owner.target}, since ${owner.startedAt}`;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function linkExclusive(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Removes the lock if it still holds `deadContent`. Only the holder of the guard `.deploy.lock.break-<hash>-<level>`
 * may remove a lock with that content, so between its re-check and its unlink nobody else can swap the lock. A guard
 * whose holder died (killed mid-break) is passed by taking the next level.
 */
async function breakDeadLock(stateDir: string, deadContent: string, ownerFile: string): Promise<void> {
  const file = join(stateDir, LOCK_NAME);
  const id = createHash('sha256').update(deadContent).digest('hex').slice(0, 16);
  const guardOf = (level: number) => join(stateDir, `.${LOCK_NAME}.break-${id}-${level}`);
  for (let level = 0; ; level++) {
    const guard = guardOf(level);
    if (await linkExclusive(ownerFile, guard)) {
      try {
        if ((await readText(file)) === deadContent) await unlink(file);
      } finally {
        await unlink(guard).catch(() => undefined);
        // Lower guards belong to breakers that died; the dead lock is gone, so they guard nothing now.
        for (let lower = 0; lower < level; lower++) await unlink(guardOf(lower)).catch(() => undefined);
      }
      return;
    }
    const guardContent = await readText(guard);
    if (guardContent === undefined) return; // just released: look at the lock again
    if (ownerAlive(parseOwner(guardContent))) return; // another process is breaking it now
  }
}

/** One attempt: the lock, or its current holder. */
async function tryAcquire(stateDir: string, temp: string): Promise<{ held: true } | { held: false; holder: LockOwner | undefined }> {
  const file = join(stateDir, LOCK_NAME);
  for (;;) {
    if (await linkExclusive(temp, file)) return { held: true };
    const content = await readText(file);
    if (content === undefined) continue; // released in between
    const holder = parseOwner(content);
    if (ownerAlive(holder)) return { held: false, holder };
    await breakDeadLock(stateDir, content, temp);
    // The lock may still be there when another process is breaking it: report it as busy, the caller retries.
    const now = await readText(file);
    if (now !== undefined && now === content) return { held: false, holder };
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function acquireLock(request: LockRequest): Promise<LockResult> {
  const { stateDir } = request;
  const file = join(stateDir, LOCK_NAME);
  try {
    await mkdir(stateDir, { recursive: true });
  } catch (error) {
    return { ok: false, error: `cannot use state directory ${stateDir}: ${(error as Error).message}` };
  }
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    runId: request.runId,
    target: request.target,
    startedAt: new Date().toISOString(),
    token: randomUUID(),
  };
  const mine = `${JSON.stringify(owner)}\n`;
  const temp = join(stateDir, `.${LOCK_NAME}.${owner.pid}.${owner.token}`);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(mine);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    return { ok: false, error: `cannot write in state directory ${stateDir}: ${(error as Error).message}` };
  }
  heldHere.add(owner.token);
  const started = Date.now();
  let lastProgress: number | undefined;
  try {
    for (;;) {
      const attempt = await tryAcquire(stateDir, temp);
      if (attempt.held) {
        await unlink(temp).catch(() => undefined);
        await sweepLockLeftovers(stateDir);
        return { ok: true, lock: { release: () => releaseLock(file, mine, owner.token) } };
      }
      const waited = Date.now() - started;
      if (waited >= request.timeoutMs || request.signal?.aborted) {
        heldHere.delete(owner.token);
        await unlink(temp).catch(() => undefined);
        const why = request.signal?.aborted ? 'cancelled while waiting' : `waited ${Math.round(waited / 1000)}s (lock-timeout ${Math.round(request.timeoutMs / 1000)}s)`;
        return { ok: false, error: `another deployment holds ${file} (${describeOwner(attempt.holder)}); ${why}`, ...(attempt.holder ? { holder: attempt.holder } : {}) };
      }
      if (lastProgress === undefined || Date.now() - lastProgress >= (request.progressEveryMs ?? DEFAULT_PROGRESS_MS)) {
        lastProgress = Date.now();
        request.onWait?.(attempt.holder, waited);
      }
      const poll = request.pollMs ?? DEFAULT_POLL_MS;
      await sleep(Math.min(poll / 2 + Math.random() * poll, Math.max(1, request.timeoutMs - waited)), request.signal);
    }
  } catch (error) {
    heldHere.delete(owner.token);
    await unlink(temp).catch(() => undefined);
    return { ok: false, error: `cannot take ${file}: ${(error as Error).message}` };
  }
}

/** Removes the lock only while it is still ours (nobody else removes a live lock, so the check cannot go stale). */
async function releaseLock(file: string, mine: string, token: string): Promise<void> {
  try {
    if ((await readText(file)) === mine) await unlink(file);
  } finally {
    heldHere.delete(token);
  }
}

/** Owner temp files left by processes killed while waiting for the lock (never the lock itself). */
async function sweepLockLeftovers(stateDir: string): Promise<void> {
  const names = await readdir(stateDir).catch(() => [] as string[]);
  for (const name of names) {
    const match = new RegExp(`^\\.${LOCK_NAME.replace('.', '\\.')}\\.(\\d+)\\.`).exec(name);
    if (!match) continue;
    // A file still empty is being written by its owner right now: only a complete owner record can be judged dead.
    const owner = parseOwner((await readText(join(stateDir, name)).catch(() => undefined)) ?? '');
    if (owner && !ownerAlive(owner)) await unlink(join(stateDir, name)).catch(() => undefined);
  }
}
