// Secret scanning on every core: scan workers (scan-worker.ts), each taking the next file when it is done, largest
// files first. The workers start with the build command (warmScanPool), so secretlint is usually loaded by the time
// there are artifacts. Where no worker bundle sits beside this module (the TypeScript sources under test), files
// are scanned in the calling thread, with the same code.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { scanFile, type FileScan } from './scan-file.js';
import type { ScanRequest } from './scan-worker.js';
import { loadSecretlint, type WindowScanner } from './secretlint-scanner.js';
import type { WindowOptions } from './text-windows.js';

/** Where the worker is, by how this module was built: ncc's bundles (dist/, dist/cli/) carry it in scan-worker/,
 *  tsc's output (the bench) beside this file. */
const WORKER_PLACES = ['scan-worker/index.js', 'scan-worker.js'];
/** Each worker holds secretlint and up to 64 MB of heap: past four, more cores buy little and cost memory. */
const MAX_WORKERS = 4;

interface ScanWorker {
  worker: Worker;
  /** The scanner's name once secretlint is loaded; rejects if it could not be, or if the worker died. */
  ready: Promise<string>;
  /** Why the worker is gone, once it is. */
  readonly dead: Error | undefined;
}

let started: ScanWorker[] | undefined;
/** Scans on the workers take turns: each worker serves one scan at a time. */
let turn: Promise<unknown> = Promise.resolve();

function workerFile(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  return WORKER_PLACES.map((place) => join(here, place)).find((file) => existsSync(file));
}

function startWorkers(): ScanWorker[] | undefined {
  if (started) return started;
  const file = workerFile();
  if (!file) return undefined;
  const set: ScanWorker[] = Array.from({ length: Math.min(availableParallelism(), MAX_WORKERS) }, () => {
    // No flags of the parent's (node -e --input-type=module, say): the worker is a plain module file. A small heap:
    // each window's strings are collected a few windows later, not after dozens (peak RSS). What a worker keeps is a
    // few windows and the findings; one that runs out fails the scan, and so the gate, with the reason.
    const worker = new Worker(file, { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 } });
    // Idle workers never keep the process alive; a scan refs them while it runs.
    worker.unref();
    let dead: Error | undefined;
    const ready = new Promise<string>((resolve, reject) => {
      worker.once('message', (reply: { ready?: string; failed?: string }) => (reply.ready ? resolve(reply.ready) : reject(new Error(`secretlint did not load: ${reply.failed}`))));
      const died = (error: Error) => {
        dead ??= error;
        reject(error);
        // The set is used as a whole: one worker gone ends it, and the next scan starts a new one.
        if (started === set) started = undefined;
        for (const other of set) if (other.worker !== worker) void other.worker.terminate();
      };
      worker.on('error', (error) => died(new Error(`a scan worker failed: ${error.message}`)));
      worker.on('exit', (code) => died(new Error(`a scan worker exited with code ${code}`)));
    });
    ready.catch(() => {}); // awaited by the scan that needs it
    return {
      worker,
      ready,
      get dead() {
        return dead;
      },
    };
  });
  started = set;
  return set;
}

/** Starts the scan workers (and secretlint in each) ahead of the scan: the build stage calls it once the build
 *  command runs. */
export function warmScanPool(): void {
  startWorkers();
}

export interface ScanJob {
  file: string;
  size: number;
}

/** Scans each file; the results are in the order of `files`, with the scanner's name and the worker threads used. */
export function scanFiles(files: ScanJob[], values: string[], window?: WindowOptions): Promise<{ scanner: string; scans: FileScan[]; workers: number }> {
  const workers = startWorkers();
  if (!workers) return scanInThread(files, values, window);
  // Referenced from now on: the process must not end while secretlint loads or a scan waits for its turn.
  for (const { worker } of workers) worker.ref();
  const run = turn.then(() => scanOn(workers, files, values, window));
  turn = run.catch(() => {});
  return run.finally(() => {
    for (const { worker } of workers) worker.unref();
  });
}

async function scanOn(workers: ScanWorker[], files: ScanJob[], values: string[], window?: WindowOptions): Promise<{ scanner: string; scans: FileScan[]; workers: number }> {
  const names = await Promise.all(workers.map(({ ready }) => ready));
  const scans: FileScan[] = new Array(files.length);
  const order = files.map((_, index) => index).sort((a, b) => files[b]!.size - files[a]!.size);
  let next = 0;
  let failure: Error | undefined;
  // Each worker has at most one file in hand, and its part of the scan ends only once that file is answered (or the
  // worker is gone): no answer of this scan can reach the next one.
  await Promise.all(
    workers.map(
      (scanWorker) =>
        new Promise<void>((resolve) => {
          const { worker } = scanWorker;
          const send = () => {
            if (failure !== undefined || next >= order.length) return finish();
            const id = order[next++]!;
            worker.postMessage({ id, file: files[id]!.file, values, window } satisfies ScanRequest);
          };
          const onMessage = (reply: { id: number; scan?: FileScan; error?: string }) => {
            if (reply.error !== undefined) failure ??= new Error(`${files[reply.id]!.file}: ${reply.error}`);
            else scans[reply.id] = reply.scan!;
            send();
          };
          const onGone = () => {
            failure ??= scanWorker.dead ?? new Error('a scan worker stopped');
            finish();
          };
          const finish = () => {
            worker.off('message', onMessage).off('error', onGone).off('exit', onGone);
            resolve();
          };
          if (scanWorker.dead) return onGone();
          worker.on('message', onMessage).on('error', onGone).on('exit', onGone);
          send();
        }),
    ),
  );
  if (failure) throw failure;
  return { scanner: names[0]!, scans, workers: workers.length };
}

async function scanInThread(files: ScanJob[], values: string[], window?: WindowOptions): Promise<{ scanner: string; scans: FileScan[]; workers: number }> {
  const scanner: WindowScanner = await loadSecretlint();
  const scans: FileScan[] = [];
  for (const { file } of files) scans.push(await scanFile(scanner, file, values, window));
  return { scanner: scanner.name, scans, workers: 0 };
}
