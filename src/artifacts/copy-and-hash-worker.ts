// The body of a hash-pool worker thread, as JavaScript source: it is started with `new Worker(source, { eval: true })`
// so that it runs the same way from the sources (tests), tsc's output (bench) and every ncc bundle (dist/), with no
// worker file to locate. For each job it copies one file and hashes it in the same pass — every byte is read once
// into one of three buffers: while chunk N is hashed, chunk N+1 is being read and chunk N-1 written. The copy keeps
// the source's permission bits. A job without a destination only hashes (the tamper check).
export const COPY_AND_HASH_WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { open } = require('node:fs/promises');

const chunkSize = workerData.chunkSize;
// Buffer triples of finished jobs, reused by the next: a worker runs a few jobs at once to keep the disk busy.
const spare = [];

async function copyAndHash(source, destination) {
  const buffers = spare.pop() ?? [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)];
  const writes = [Promise.resolve(), Promise.resolve(), Promise.resolve()];
  const input = await open(source, 'r');
  let output;
  try {
    const { mode } = await input.stat();
    if (destination) output = await open(destination, 'w', mode & 0o7777);
    const hash = createHash('sha256');
    let size = 0;
    let slot = 0;
    let reading = input.read(buffers[0], 0, chunkSize, null);
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      const next = (slot + 1) % 3;
      await writes[next];
      reading = input.read(buffers[next], 0, chunkSize, null);
      const chunk = buffers[slot].subarray(0, bytesRead);
      hash.update(chunk);
      if (output) {
        const written = output.write(chunk, 0, bytesRead, size).then(({ bytesWritten }) => {
          if (bytesWritten !== bytesRead) throw new Error('short write to ' + destination);
        });
        written.catch(() => {}); // awaited two chunks later; a failure must not crash the worker in between
        writes[slot] = written;
      }
      size += bytesRead;
      slot = next;
    }
    await Promise.all(writes);
    // The size of the stored copy is what is recorded: a short copy is an error, not a smaller artifact.
    if (output && (await output.stat()).size !== size) throw new Error('copy of ' + source + ' is incomplete');
    return { size, sha256: hash.digest('hex') };
  } finally {
    await Promise.allSettled(writes);
    await output?.close();
    await input.close();
    spare.push(buffers);
  }
}

parentPort.on('message', ({ id, source, destination }) => {
  copyAndHash(source, destination).then(
    (result) => parentPort.postMessage({ id, ...result }),
    (error) => parentPort.postMessage({ id, error: error.message }),
  );
});
`;
