// The body of a hash-pool worker thread, as JavaScript source: it is started with `new Worker(source, { eval: true })`
// so that it runs the same way from the sources (tests), tsc's output (bench) and every ncc bundle (dist/), with no
// worker file to locate. For each job it copies one file and hashes it in the same pass: every byte is read once.
// A file that fits in one chunk is read, hashed and written with synchronous calls (the thread is the pool's own, and
// a small file costs more in round trips to libuv's thread pool than in bytes); a larger one is pipelined over three
// buffers: while chunk N is hashed, chunk N+1 is being read and chunk N-1 written. The copy keeps the source's
// permission bits. A job without a destination only hashes (the tamper check).
export const COPY_AND_HASH_WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { promisify } = require('node:util');

const read = promisify(fs.read);
const write = promisify(fs.write);
const chunkSize = workerData.chunkSize;
const small = Buffer.allocUnsafe(chunkSize);
// Buffer triples of finished large files, reused by the next: a worker runs two jobs at once to keep the disk busy.
const spare = [];

function writeAll(fd, chunk, position) {
  for (let done = 0; done < chunk.length; ) done += fs.writeSync(fd, chunk, done, chunk.length - done, position + done);
}

/** One chunk or less: a read (plus the one that finds the end), the hash, a write — no thread-pool round trips. */
function copySmall(input, output) {
  const hash = createHash('sha256');
  let size = 0;
  for (;;) {
    const bytesRead = fs.readSync(input, small, 0, chunkSize, null);
    if (bytesRead === 0) break;
    const chunk = small.subarray(0, bytesRead);
    hash.update(chunk);
    if (output !== undefined) writeAll(output, chunk, size);
    size += bytesRead;
  }
  return { size, sha256: hash.digest('hex') };
}

async function copyLarge(input, output, destination) {
  const buffers = spare.pop() ?? [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)];
  const writes = [Promise.resolve(), Promise.resolve(), Promise.resolve()];
  try {
    const hash = createHash('sha256');
    let size = 0;
    let slot = 0;
    let reading = read(input, buffers[0], 0, chunkSize, null);
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      const next = (slot + 1) % 3;
      await writes[next];
      reading = read(input, buffers[next], 0, chunkSize, null);
      const chunk = buffers[slot].subarray(0, bytesRead);
      hash.update(chunk);
      if (output !== undefined) {
        const written = write(output, chunk, 0, bytesRead, size).then(({ bytesWritten }) => {
          if (bytesWritten !== bytesRead) throw new Error('short write to ' + destination);
        });
        written.catch(() => {}); // awaited two chunks later; a failure must not crash the worker in between
        writes[slot] = written;
      }
      size += bytesRead;
      slot = next;
    }
    await Promise.all(writes);
    return { size, sha256: hash.digest('hex') };
  } finally {
    await Promise.allSettled(writes);
    spare.push(buffers);
  }
}

async function copyAndHash(source, destination) {
  const input = fs.openSync(source, 'r');
  let output;
  try {
    const { mode, size } = fs.fstatSync(input);
    if (destination) output = fs.openSync(destination, 'w', mode & 0o7777);
    return size < chunkSize ? copySmall(input, output) : await copyLarge(input, output, destination);
  } finally {
    if (output !== undefined) fs.closeSync(output);
    fs.closeSync(input);
  }
}

parentPort.on('message', ({ id, source, destination }) => {
  copyAndHash(source, destination).then(
    (result) => parentPort.postMessage({ id, ...result }),
    (error) => parentPort.postMessage({ id, error: error.message }),
  );
});
`;
