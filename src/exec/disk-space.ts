// Free space for the `disk` prerequisite.
import { statfs } from 'node:fs/promises';
import path from 'node:path';

/**
 * Bytes available to this (unprivileged) user on the filesystem holding `dir`. A directory that does not exist
 * yet (a deploy path) is measured at its nearest existing parent. Rejects only on other errors (e.g. EACCES).
 */
export async function freeDiskBytes(dir: string): Promise<number> {
  let current = path.resolve(dir);
  for (;;) {
    try {
      const info = await statfs(current);
      return info.bavail * info.bsize;
    } catch (error) {
      const parent = path.dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
      current = parent;
    }
  }
}
