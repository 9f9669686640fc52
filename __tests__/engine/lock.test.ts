import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { acquireLock } from '../../src/engine/lock.js';

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

/** Another real process (Node strips the types of lock.ts) that takes the lock and holds it until killed. */
async function holdLockInChild(stateDir: string): Promise<ChildProcess> {
  const script = `const { acquireLock } = await import(${JSON.stringify(LOCK_MODULE)});
const result = await acquireLock(${JSON.stringify(stateDir)});
console.log(result.ok ? 'held' : 'refused');
setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  expect(line.toString().trim()).toBe('held');
  return child;
}

async function deadPid(): Promise<number> {
  const child = spawn('true');
  await once(child, 'exit');
  return child.pid!;
}

test('a second acquire while another live process holds the lock fails and names its pid', async () => {
  const holder = await holdLockInChild(dir);
  const second = await acquireLock(dir);
  expect(second.ok).toBe(false);
  if (second.ok) return;
  expect(second.error).toContain(`pid ${holder.pid}`);
  expect(second.error).toContain(join(dir, 'deploy.lock'));
  expect((await readFile(join(dir, 'deploy.lock'), 'utf8')).trim()).toBe(String(holder.pid));
});

test('the lock of a process that was killed mid-run is taken over', async () => {
  const holder = await holdLockInChild(dir);
  const exited = once(holder, 'exit');
  holder.kill('SIGKILL');
  await exited;
  const next = await acquireLock(dir);
  expect(next.ok).toBe(true);
  expect((await readFile(join(dir, 'deploy.lock'), 'utf8')).trim()).toBe(String(process.pid));
  if (next.ok) await next.lock.release();
});

test('a lock file left by a pid that no longer exists is taken over', async () => {
  const pid = await deadPid();
  await writeFile(join(dir, 'deploy.lock'), String(pid));
  const result = await acquireLock(dir);
  expect(result.ok).toBe(true);
  expect((await readFile(join(dir, 'deploy.lock'), 'utf8')).trim()).toBe(String(process.pid));
  if (result.ok) await result.lock.release();
});

test('a lock file with garbage instead of a pid is taken over', async () => {
  await writeFile(join(dir, 'deploy.lock'), 'not a pid\n');
  const result = await acquireLock(dir);
  expect(result.ok).toBe(true);
  if (result.ok) await result.lock.release();
});

test('release removes the lock file, so the next run (another process) can take it', async () => {
  const result = await acquireLock(join(dir, 'state'));
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  expect(await readdir(join(dir, 'state'))).toEqual(['deploy.lock']);
  await result.lock.release();
  expect(await readdir(join(dir, 'state'))).toEqual([]);
  await holdLockInChild(join(dir, 'state'));
});
