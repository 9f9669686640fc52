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

interface Pool {
  workers: Worker[];
  /** The run before the next one: runs on one pool take turns. */
  idle: Promise<unknown>;
  /** Set when a worker died: the pool is not used again. */
  broken?: Error;
}

// Started pools, by size and read size. A pool lives as long as the process, its workers unreferenced while idle so
// they never keep it alive: starting a worker thread costs about 80 ms, a tenth of hashing a gigabyte on two cores.
const pools = new Map<string, Pool>();

function poolFor(size: number, chunkSize: number): Pool {
  const key = `${size}:${chunkSize}`;
  const started = pools.get(key);
  if (started && !started.broken) return started;
  const pool: Pool = { workers: [], idle: Promise.resolve() };
  pool.workers = Array.from({ length: size }, () => {
    const worker = new Worker(COPY_AND_HASH_WORKER, { eval: true, workerData: { chunkSize, resultBytes: RESULT_BYTES } });
    worker.unref();
    const broken = (error: Error) => {
      pool.broken ??= error;
      if (pools.get(key) === pool) pools.delete(key);
      for (const other of pool.workers) void other.terminate();
    };
    worker.on('error', broken);
    worker.on('exit', (code) => broken(new Error(`hash worker exited with code ${code}`)));
    return worker;
  });
  pools.set(key, pool);
  return pool;
}

/** Hashing is bound by the cores up to the disk's rate: a few workers reach it, more only take memory (24 MiB each). */
const MAX_WORKERS = 8;
const defaultWorkers = () => Math.min(availableParallelism(), MAX_WORKERS);

/** Starts the pool that copyAndHashFiles will use, so that its workers are up by the time there are files: the build
 *  stage calls it once the build command runs. */
export function warmHashPool(options: PoolOptions = {}): void {
  poolFor(options.workers ?? defaultWorkers(), options.chunkBytes ?? HASH_CHUNK_BYTES);
}

/** Copies each job's source to its destination (whose folder must exist) and returns size and SHA-256 of the bytes
 *  read, in the order of `jobs`. The first failure rejects, naming the file.
 *
 *  The workers take the jobs themselves, from a counter they share, and write each result into a shared buffer: the
 *  main thread sends nothing per file, so thousands of small files cost no round trips through it. */
export async function copyAndHashFiles(jobs: CopyJob[], options: PoolOptions = {}): Promise<{ files: CopiedFile[]; workers: number }> {
  if (jobs.length === 0) return { files: [], workers: 0 };
  const pool = poolFor(options.workers ?? defaultWorkers(), options.chunkBytes ?? HASH_CHUNK_BYTES);
  const run = pool.idle.then(() => runOn(pool, jobs));
  pool.idle = run.catch(() => {});
  return run;
}

async function runOn(pool: Pool, jobs: CopyJob[]): Promise<{ files: CopiedFile[]; workers: number }> {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const results = new SharedArrayBuffer(jobs.length * RESULT_BYTES);
  let failure: Error | undefined;
  await Promise.all(
    pool.workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          if (pool.broken) return reject(pool.broken);
          const onMessage = (reply: { done?: true; id?: number; error?: string }) => {
            if (!reply.done) {
              failure ??= new Error(`${jobs[reply.id!]!.source}: ${reply.error}`);
              Atomics.store(next, 0, jobs.length); // the other workers take no further job
              return;
            }
            finish();
            resolve();
          };
          const onBroken = (error: Error) => {
            finish();
            reject(pool.broken ?? error);
          };
          const finish = () => {
            worker.off('message', onMessage).off('error', onBroken).off('exit', onBroken).unref();
          };
          worker.ref();
          worker.on('message', onMessage).on('error', onBroken).on('exit', onBroken);
          worker.postMessage({ jobs, next: next.buffer, results });
        }),
    ),
  );
  if (failure) throw failure;
  const view = new DataView(results);
  const files = jobs.map((_, index) => ({
    size: view.getFloat64(index * RESULT_BYTES, true),
    sha256: Buffer.from(results, index * RESULT_BYTES + 8, 32).toString('hex'),
  }));
  return { files, workers: Math.min(pool.workers.length, jobs.length) };
}
