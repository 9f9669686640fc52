// One deployment per state directory at a time. The lock file holds the owner's pid; a lock whose owner is gone is
// taken over, so a crashed run never blocks the next one.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export interface Lock {
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function acquireLock(stateDir: string): Promise<{ ok: true; lock: Lock } | { ok: false; error: string }> {
  try {
    await mkdir(stateDir, { recursive: true });
  } catch (error) {
    return { ok: false, error: `cannot use state directory ${stateDir}: ${(error as Error).message}` };
  }
  const file = join(stateDir, 'deploy.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return { ok: true, lock: { release: () => rm(file, { force: true }) } };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return { ok: false, error: `cannot take ${file}: ${(error as Error).message}` };
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (owner && isAlive(owner) && owner !== process.pid) {
        return { ok: false, error: `another deployment (pid ${owner}) holds ${file}` };
      }
      await rm(file, { force: true });
    }
  }
  return { ok: false, error: `could not take ${file}` };
}
