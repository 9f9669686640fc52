// A pool of worker threads, sized to the cores, that copy files and hash them in the same read (see
// copy-and-hash-worker.ts): files in parallel, each in large chunks. Used by the build to fill the artifacts store,
// and (hashing only) by the tamper check before each deploy.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { COPY_AND_HASH_WORKER } from './copy-and-hash-worker.js';

/** Read size, a multiple of 4 KiB so that copies are written with O_DIRECT. scripts/bench-artifacts.mjs measures 1, 2,
 *  4 and 8 MiB on every run; on the shared 2-core machine the differences were within the noise, and 4 MiB keeps a
 *  worker's six buffers at 24 MiB. */
export const HASH_CHUNK_BYTES = 4 * 1024 * 1024;
export interface CopyJob {
  source: string;
  /** Absent: hash only. */
  destination?: string;
}

export interface CopiedFile {
  size: number;
  sha256: string;
}

export interface PoolOptions {
  workers?: number;
  chunkBytes?: number;
}

/** Bytes of a result in the shared results buffer: the size (a float64) and the 32 bytes of the SHA-256. */
const RESULT_BYTES = 40;

/** Copies each job's source to its destination (whose folder must exist) and returns size and SHA-256 of the bytes
 *  read, in the order of `jobs`. The first failure rejects, naming the file.
 *
 *  The workers take the jobs themselves, from a counter they share, and write each result into a shared buffer: the
 *  main thread sends nothing per file, so thousands of small files cost no round trips through it. */
export async function copyAndHashFiles(jobs: CopyJob[], options: PoolOptions = {}): Promise<{ files: CopiedFile[]; workers: number }> {
  if (jobs.length === 0) return { files: [], workers: 0 };
  const size = Math.max(1, Math.min(options.workers ?? availableParallelism(), jobs.length));
  const next = new SharedArrayBuffer(4);
  const results = new SharedArrayBuffer(jobs.length * RESULT_BYTES);
  const workerData = { chunkSize: options.chunkBytes ?? HASH_CHUNK_BYTES, jobs, next, results, resultBytes: RESULT_BYTES };
  const workers = Array.from({ length: size }, () => new Worker(COPY_AND_HASH_WORKER, { eval: true, workerData }));
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            worker.on('message', (reply: { done?: true; id?: number; error?: string }) => {
              if (reply.done) resolve();
              else {
                Atomics.store(new Int32Array(next), 0, jobs.length); // the other workers take no further job
                reject(new Error(`${jobs[reply.id!]!.source}: ${reply.error}`));
              }
            });
            worker.on('error', reject);
            worker.on('exit', (code) => reject(new Error(`hash worker exited with code ${code}`)));
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  const view = new DataView(results);
  const files = jobs.map((_, index) => ({
    size: view.getFloat64(index * RESULT_BYTES, true),
    sha256: Buffer.from(results, index * RESULT_BYTES + 8, 32).toString('hex'),
  }));
  return { files, workers: size };
}
