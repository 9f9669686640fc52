// A scan worker thread: loads secretlint once, then scans the files it is sent, one at a time, and answers each with
// its findings (masked) or the reason it could not be scanned. Bundled as its own entry (dist/scan-worker/), started
// by scan-pool.ts.
import { parentPort } from 'node:worker_threads';
import { scanFile } from './scan-file.js';
import { loadSecretlint } from './secretlint-scanner.js';
import type { WindowOptions } from './text-windows.js';

export interface ScanRequest {
  id: number;
  file: string;
  values: string[];
  window?: WindowOptions;
}

const scanner = loadSecretlint();
parentPort!.on('message', ({ id, file, values, window }: ScanRequest) => {
  scanner
    .then((loaded) => scanFile(loaded, file, values, window))
    .then(
      (scan) => parentPort!.postMessage({ id, scan }),
      (error: Error) => parentPort!.postMessage({ id, error: error.message }),
    );
});
scanner.then(
  (loaded) => parentPort!.postMessage({ ready: loaded.name }),
  (error: Error) => parentPort!.postMessage({ failed: error.message }),
);
