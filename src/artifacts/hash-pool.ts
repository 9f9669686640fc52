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
/** Files each worker copies at once: while one is hashed, the next is being opened and read. */
const JOBS_PER_WORKER = 2;

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

/** Copies each job's source to its destination (whose folder must exist) and returns size and SHA-256 of the bytes
 *  read, in the order of `jobs`. The first failure rejects, naming the file. */
export async function copyAndHashFiles(jobs: CopyJob[], options: PoolOptions = {}): Promise<{ files: CopiedFile[]; workers: number }> {
  const size = Math.max(1, Math.min(options.workers ?? availableParallelism(), jobs.length));
  if (jobs.length === 0) return { files: [], workers: 0 };
  const workers = Array.from({ length: size }, () => new Worker(COPY_AND_HASH_WORKER, { eval: true, workerData: { chunkSize: options.chunkBytes ?? HASH_CHUNK_BYTES } }));
  const files: CopiedFile[] = new Array(jobs.length);
  let next = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let running = 0;
            const dispatch = () => {
              while (running < JOBS_PER_WORKER && next < jobs.length) {
                const id = next++;
                running++;
                worker.postMessage({ id, ...jobs[id] });
              }
              if (running === 0) resolve();
            };
            worker.on('message', (reply: { id: number; size: number; sha256: string; error?: string }) => {
              running--;
              if (reply.error !== undefined) return reject(new Error(`${jobs[reply.id]!.source}: ${reply.error}`));
              files[reply.id] = { size: reply.size, sha256: reply.sha256 };
              dispatch();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => reject(new Error(`hash worker exited with code ${code}`)));
            dispatch();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return { files, workers: size };
}
