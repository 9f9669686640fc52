// How fast the build copied and hashed its artifacts, in words: shared by the build's integrity step and the reports.
// Under a megabyte a rate says nothing (worker start-up dominates): the size and the time are said instead.
import { formatDuration, formatSize } from '../config/units.js';
import type { HashingRecord } from '../engine/model.js';

/** Megabytes (10^6 bytes, as openssl speed and dd count) per second. */
function hashingMegabytesPerSecond(hashing: HashingRecord): number {
  return hashing.durationMs > 0 ? hashing.bytes / 1e6 / (hashing.durationMs / 1000) : 0;
}

/** "612 MB/s", or "1.9 KiB in 64ms" for less than a megabyte. */
export function hashingRate(hashing: HashingRecord): string {
  return hashing.bytes < 1e6 ? `${formatSize(hashing.bytes)} in ${formatDuration(hashing.durationMs)}` : `${Math.round(hashingMegabytesPerSecond(hashing))} MB/s`;
}

export function workersOf(hashing: HashingRecord): string {
  return `${hashing.workers} worker${hashing.workers === 1 ? '' : 's'}`;
}

/** e.g. "hashed while copied at 612 MB/s, 2 workers" */
export function describeHashing(hashing: HashingRecord): string {
  return `hashed while copied${hashing.bytes < 1e6 ? ': ' : ' at '}${hashingRate(hashing)}, ${workersOf(hashing)}`;
}
