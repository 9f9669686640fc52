// The state directory's lock, taken by real processes (Node loads lock.ts itself, stripping its types): at most one
// holder at a time under contention, a dead owner's lock taken over, a live one (even another user's) waited for.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { acquireLock, LOCK_NAME, type LockOwner } from '../../src/engine/lock.js';

const LOCK_MODULE = pathToFileURL(join(import.meta.dirname, '..', '..', 'src', 'engine', 'lock.ts')).href;

let dir: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meta-deploy-lock-'));
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
  }
  await rm(dir, { recursive: true, force: true });
});

function nodeScript(script: string, options: { uid?: number } = {}): ChildProcess {
  const args = ['--input-type=module', '-e', `const { acquireLock } = await import(${JSON.stringify(LOCK_MODULE)});\n${script}`];
  const child =
    options.uid === undefined
      ? spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('setpriv', [`--reuid=${options.uid}`, `--regid=${options.uid}`, '--clear-groups', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return child;
}

async function output(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** Another real process that takes the lock and holds it until killed (or for `holdMs`). */
async function holdLockInChild(stateDir: string, holdMs?: number): Promise<ChildProcess> {
  const child = nodeScript(`const result = await acquireLock({ stateDir: ${JSON.stringify(stateDir)}, runId: 'web-1.0.0-holder', target: 'web', timeoutMs: 0 });
console.log(result.ok ? 'held' : 'refused: ' + result.error);
${holdMs === undefined ? 'setInterval(() => {}, 1000);' : `setTimeout(() => result.lock.release(), ${holdMs});`}`);
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  expect(line.toString().trim()).toBe('held');
  return child;
}

async function deadPid(): Promise<number> {
  const child = spawn('true');
  await once(child, 'exit');
  return child.pid!;
}

function ownerRecord(pid: number): LockOwner {
  return { pid, host: hostname(), runId: 'web-0.9.0-old', target: 'web', startedAt: '2026-01-01T00:00:00.000Z', token: `token-${pid}` };
}

const lockFile = () => join(dir, LOCK_NAME);
const request = (timeoutMs = 0) => ({ stateDir: dir, runId: 'web-2.0.0-test', target: 'web', timeoutMs, pollMs: 20 });

test('the lock appears with its owner inside: pid, host, run id, target, started-at', async () => {
  const result = await acquireLock(request());
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  const owner = JSON.parse(await readFile(lockFile(), 'utf8')) as LockOwner;
  expect(owner).toMatchObject({ pid: process.pid, host: hostname(), runId: 'web-2.0.0-test', target: 'web' });
  expect(Date.parse(owner.startedAt)).not.toBeNaN();
  await result.lock.release();
  expect(await readdir(dir)).toEqual([]);
});

test('a run that finds the lock held waits, naming the holder, and fails at lock-timeout with the holder in the message', async () => {
  const holder = await holdLockInChild(dir);
  const waits: string[] = [];
  const result = await acquireLock({ ...request(600), onWait: (owner) => waits.push(`pid ${owner?.pid} run ${owner?.runId} target ${owner?.target}`) });
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(waits[0]).toBe(`pid ${holder.pid} run web-1.0.0-holder target web`);
  expect(result.error).toContain(`pid ${holder.pid}, run web-1.0.0-holder, target web, since `);
  expect(result.error).toContain('lock-timeout');
  expect((JSON.parse(await readFile(lockFile(), 'utf8')) as LockOwner).pid).toBe(holder.pid);
});

test('a run that finds the lock held waits for the holder to finish, then takes it', async () => {
  const holder = await holdLockInChild(dir, 400);
  const waits: number[] = [];
  const result = await acquireLock({ ...request(60_000), onWait: (owner) => waits.push(owner!.pid) });
  expect(result.ok).toBe(true);
  expect(waits).toEqual([holder.pid]);
  if (result.ok) await result.lock.release();
});

test('the lock of a process that was killed mid-run is taken over', async () => {
  const holder = await holdLockInChild(dir);
  const exited = once(holder, 'exit');
  holder.kill('SIGKILL');
  await exited;
  const next = await acquireLock(request());
  expect(next.ok).toBe(true);
  expect((JSON.parse(await readFile(lockFile(), 'utf8')) as LockOwner).pid).toBe(process.pid);
  if (next.ok) await next.lock.release();
});

test('a lock left by a pid that no longer exists, or holding garbage, is taken over', async () => {
  await writeFile(lockFile(), JSON.stringify(ownerRecord(await deadPid())));
  const first = await acquireLock(request());
  expect(first.ok).toBe(true);
  if (first.ok) await first.lock.release();
  await writeFile(lockFile(), 'not a lock\n');
  const second = await acquireLock(request());
  expect(second.ok).toBe(true);
  if (second.ok) await second.lock.release();
});

test('a lock of a process on another host is alive (its pid means nothing here): waited for, never taken over', async () => {
  const remote = { ...ownerRecord(await deadPid()), host: 'build-2' };
  await writeFile(lockFile(), JSON.stringify(remote));
  const result = await acquireLock(request());
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error).toContain('build-2');
  expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toEqual(remote);
});

test('release removes the lock only while it is still ours: a lock taken over since is left to its new owner', async () => {
  const result = await acquireLock(request());
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  const successor = ownerRecord(await deadPid());
  await writeFile(lockFile(), JSON.stringify(successor));
  await result.lock.release();
  expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toEqual(successor);
});

test('a cancel while waiting for the lock ends the wait at once', async () => {
  await holdLockInChild(dir);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  // Ten minutes of lock-timeout: a wait that ignored the cancel would outlive the test's own timeout.
  const result = await acquireLock({ ...request(600_000), signal: controller.signal });
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.error).toContain('cancelled while waiting');
});

test('a lock carrying our own pid but not taken by this process (pid reused in a container) is taken over', async () => {
  await writeFile(lockFile(), JSON.stringify(ownerRecord(process.pid)));
  const result = await acquireLock(request());
  expect(result.ok).toBe(true);
  if (result.ok) await result.lock.release();
});

test('a lock held by a live process of another user (EPERM) is alive: waited for, never taken over', async () => {
  // An unprivileged process cannot signal pid 1, so kill(1, 0) fails with EPERM. As root, run the acquirer as nobody.
  await writeFile(lockFile(), JSON.stringify(ownerRecord(1)));
  await chmod(dir, 0o777);
  const uid = process.getuid?.() === 0 ? 65534 : undefined;
  const child = nodeScript(
    `const result = await acquireLock({ stateDir: ${JSON.stringify(dir)}, runId: 'web-2.0.0-other', target: 'web', timeoutMs: 300, pollMs: 20 });
console.log(JSON.stringify(result.ok ? { ok: true } : { ok: false, error: result.error }));`,
    { uid },
  );
  const result = await output(child);
  expect(result.code, result.stderr).toBe(0);
  const parsed = JSON.parse(result.stdout) as { ok: boolean; error?: string };
  expect(parsed.ok).toBe(false);
  expect(parsed.error).toContain('pid 1, run web-0.9.0-old');
  expect((JSON.parse(await readFile(lockFile(), 'utf8')) as LockOwner).pid).toBe(1);
});

test('release removes only the lock, so the next run (another process) can take it', async () => {
  const state = join(dir, 'state');
  const result = await acquireLock({ ...request(), stateDir: state });
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(await readdir(state)).toEqual([LOCK_NAME]);
  await result.lock.release();
  expect(await readdir(state)).toEqual([]);
  await holdLockInChild(state);
});

/**
 * 16 processes released at the same instant race for the lock, 4 times each; each logs enter/leave while holding it.
 * Some trials start with a dead owner's lock (all race to take it over), some have a holder that is SIGKILLed while
 * holding it (all race to take over a lock that was live a moment ago).
 */
test('under contention (16 processes × 4 rounds, 6 trials, stale and killed holders) there is never more than one holder', async () => {
  const ACQUIRERS = 16;
  const ROUNDS = 4;
  const TRIALS = 6;
  for (let trial = 0; trial < TRIALS; trial++) {
    const stateDir = join(dir, `trial-${trial}`);
    const log = join(dir, `trial-${trial}.log`);
    const go = join(dir, `trial-${trial}.go`);
    await writeFile(log, '');
    if (trial % 3 === 1) {
      await mkdir(stateDir, { recursive: true });
      await writeFile(join(stateDir, LOCK_NAME), JSON.stringify(ownerRecord(await deadPid())));
    }
    const racers = Array.from({ length: ACQUIRERS }, (_, index) => {
      const dies = trial % 3 === 2 && index === 0;
      const child = nodeScript(`import { appendFileSync, existsSync } from 'node:fs';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line) => appendFileSync(${JSON.stringify(log)}, line + ' ' + process.pid + '\\n');
console.log('ready');
while (!existsSync(${JSON.stringify(go)})) await sleep(1);
for (let round = 0; round < ${dies ? 1 : ROUNDS}; round++) {
  const result = await acquireLock({ stateDir: ${JSON.stringify(stateDir)}, runId: 'run-' + process.pid, target: 'web', timeoutMs: 120000, pollMs: 10 });
  if (!result.ok) { console.error(result.error); process.exit(3); }
  log('enter');
  await sleep(${dies ? 30 : 2});
  if (${dies}) { log('died'); process.kill(process.pid, 'SIGKILL'); }
  log('leave');
  await result.lock.release();
  await sleep(Math.random() * 5);
}`);
      return { child, done: output(child), dies };
    });
    // Every racer is up (or has died trying, which the checks below report) before the start signal.
    await Promise.all(racers.map(({ child, done }) => Promise.race([once(child.stdout!, 'data'), done])));
    await writeFile(go, '');
    const results = await Promise.all(racers.map(({ done }) => done));
    results.forEach((result, index) => {
      if (!racers[index]!.dies) expect(result.code, result.stderr).toBe(0);
    });
    const lines = (await readFile(log, 'utf8')).trim().split('\n');
    const expected = racers.reduce((sum, racer) => sum + (racer.dies ? 2 : ROUNDS * 2), 0);
    expect(lines).toHaveLength(expected);
    for (let index = 0; index < lines.length; index += 2) {
      const [enter, pid] = lines[index]!.split(' ');
      expect(enter, `trial ${trial}: ${lines.join(', ')}`).toBe('enter');
      expect(lines[index + 1], `trial ${trial}: ${lines.join(', ')}`).toMatch(new RegExp(`^(leave|died) ${pid}$`));
    }
  }
}, 180_000);
