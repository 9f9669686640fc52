// Secret scanning on every core: one scan worker per core (scan-worker.ts), each taking the next file when it is done,
// largest files first. The workers start with the build command (warmScanPool), so secretlint is loaded by the time
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

interface ScanWorker {
  worker: Worker;
  /** The scanner's name once secretlint is loaded; rejects if it could not be. */
  ready: Promise<string>;
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
  started = Array.from({ length: availableParallelism() }, () => {
    // No flags of the parent's (node -e --input-type=module, say): the worker is a plain module file. A small heap:
    // each window's strings are collected a few windows later, not after dozens (peak RSS). What a worker keeps is a
    // few windows and the findings; one that runs out fails the scan, and so the gate, with the reason.
    const worker = new Worker(file, { execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 } });
    worker.unref();
    const ready = new Promise<string>((resolve, reject) => {
      worker.once('message', (reply: { ready?: string; failed?: string }) => (reply.ready ? resolve(reply.ready) : reject(new Error(`secretlint did not load: ${reply.failed}`))));
      worker.once('error', reject);
    });
    ready.catch(() => {}); // awaited by the scan that needs it
    worker.on('exit', () => {
      if (started?.some((scanWorker) => scanWorker.worker === worker)) started = undefined;
    });
    return { worker, ready };
  });
  return started;
}

/** Starts the scan workers (and secretlint in each) ahead of the scan: the build stage calls it before the build command. */
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
  const run = turn.then(() => scanOn(workers, files, values, window));
  turn = run.catch(() => {});
  return run;
}

async function scanOn(workers: ScanWorker[], files: ScanJob[], values: string[], window?: WindowOptions): Promise<{ scanner: string; scans: FileScan[]; workers: number }> {
  const scans: FileScan[] = new Array(files.length);
  const order = files.map((_, index) => index).sort((a, b) => files[b]!.size - files[a]!.size);
  let next = 0;
  const names = await Promise.all(workers.map(({ ready }) => ready));
  await Promise.all(
    workers.map(
      ({ worker }) =>
        new Promise<void>((resolve, reject) => {
          const send = () => {
            if (next >= order.length) return finish(resolve);
            const id = order[next++]!;
            worker.postMessage({ id, file: files[id]!.file, values, window } satisfies ScanRequest);
          };
          const onMessage = (reply: { id: number; scan?: FileScan; error?: string }) => {
            if (reply.error !== undefined) return finish(() => reject(new Error(`${files[reply.id]!.file}: ${reply.error}`)));
            scans[reply.id] = reply.scan!;
            send();
          };
          const onError = (error: Error) => finish(() => reject(new Error(`a scan worker failed: ${error.message}`)));
          const onExit = (code: number) => finish(() => reject(new Error(`a scan worker exited with code ${code}`)));
          const finish = (settle: () => void) => {
            worker.off('message', onMessage).off('error', onError).off('exit', onExit).unref();
            settle();
          };
          worker.ref();
          worker.on('message', onMessage).on('error', onError).on('exit', onExit);
          send();
        }),
    ),
  );
  return { scanner: names[0]!, scans, workers: workers.length };
}

async function scanInThread(files: ScanJob[], values: string[], window?: WindowOptions): Promise<{ scanner: string; scans: FileScan[]; workers: number }> {
  const scanner: WindowScanner = await loadSecretlint();
  const scans: FileScan[] = [];
  for (const { file } of files) scans.push(await scanFile(scanner, file, values, window));
  return { scanner: scanner.name, scans, workers: 0 };
}
