// Ids of runs (deployments and rollbacks): the start time to the millisecond plus a short random suffix, so two runs
// started in the same millisecond still get distinct ids, and the files named after them never overwrite each other.
import { randomBytes } from 'node:crypto';

export function newRunId(prefix: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '');
  return `${prefix}-${stamp}-${randomBytes(3).toString('hex')}`;
}
