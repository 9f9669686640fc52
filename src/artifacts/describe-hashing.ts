// How fast the build copied and hashed its artifacts, in words: shared by the build's integrity step and the reports.
import type { HashingRecord } from '../engine/model.js';

/** Megabytes (10^6 bytes, as openssl speed and dd count) per second. */
export function hashingMegabytesPerSecond(hashing: HashingRecord): number {
  return hashing.durationMs > 0 ? hashing.bytes / 1e6 / (hashing.durationMs / 1000) : 0;
}

/** e.g. "hashed while copied at 612 MB/s, 2 workers" */
export function describeHashing(hashing: HashingRecord): string {
  const workers = `${hashing.workers} worker${hashing.workers === 1 ? '' : 's'}`;
  return `hashed while copied at ${Math.round(hashingMegabytesPerSecond(hashing))} MB/s, ${workers}`;
}
