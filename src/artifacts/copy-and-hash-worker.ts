// The body of a hash-pool worker thread, as JavaScript source: it is started with `new Worker(source, { eval: true })`
// so that it runs the same way from the sources (tests), tsc's output (bench) and every ncc bundle (dist/), with no
// worker file to locate. For each job it copies one file and hashes it in the same pass: every byte is read once.
//
// The copy is written with O_DIRECT: from the worker's own buffers straight to the disk, without filling the page
// cache. A buffered write has to find a fresh page of memory for every 4 KiB it writes, and that, not the disk, is
// what bounds it (on the 2-core reference machine: 0.5–0.6 GB/s buffered against 1.5 GB/s direct for a new 1 GiB
// file; see scripts/bench-artifacts.mjs). Direct I/O needs aligned memory, offsets and lengths: the buffers are carved
// from a WebAssembly.Memory (page-aligned by construction), chunks are whole multiples of 4 KiB, and the last chunk
// of a file is padded with zeros to 4 KiB and the file truncated back to its size. A file system that refuses
// O_DIRECT at open (EINVAL, as open(2) documents) gets an ordinary buffered copy; so does any chunk size that is not
// a multiple of 4 KiB (the unit tests' small chunks).
//
// Reads are pipelined with hashing: while chunk N is hashed, chunk N+1 is being read and chunk N-1 written. A file
// smaller than a chunk is read with synchronous calls, one and the one that finds the end (the thread is the pool's
// own, and a small file costs more in round trips to libuv's thread pool than in bytes); its write still goes to the
// thread pool, so the next file is hashed while it lands. A job without a destination only hashes (the tamper check).
// Copies keep the source's permission bits.
export const COPY_AND_HASH_WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { promisify } = require('node:util');

const read = promisify(fs.read);
const write = promisify(fs.write);
const chunkSize = workerData.chunkSize;
const ALIGN = 4096;
const DIRECT = chunkSize % ALIGN === 0 ? fs.constants.O_DIRECT ?? 0 : 0;
const roundUp = (bytes, unit) => Math.ceil(bytes / unit) * unit;

// Six buffers per worker: two files at once, each with one chunk being read, one hashed and one being written.
const BUFFERS = 6;
const WASM_PAGE = 65536;
const stride = roundUp(chunkSize, WASM_PAGE);
const memory = new WebAssembly.Memory({ initial: (stride * BUFFERS) / WASM_PAGE });
const free = Array.from({ length: BUFFERS }, (_, index) => Buffer.from(memory.buffer, index * stride, chunkSize));
const waiting = [];
const take = () => (free.length > 0 ? Promise.resolve(free.pop()) : new Promise((resolve) => waiting.push(resolve)));
const give = (buffer) => {
  const next = waiting.shift();
  if (next) next(buffer);
  else free.push(buffer);
};

function openOutput(destination, mode) {
  if (DIRECT) {
    try {
      return { fd: fs.openSync(destination, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | DIRECT, mode), direct: true };
    } catch (error) {
      if (error.code !== 'EINVAL') throw error;
    }
  }
  return { fd: fs.openSync(destination, 'w', mode), direct: false };
}

/** Writes the first bytes of buffer at position, then hands the buffer back to the pool. */
function writeChunk(output, destination, buffer, bytes, position) {
  let length = bytes;
  if (output.direct && bytes % ALIGN !== 0) {
    length = roundUp(bytes, ALIGN);
    buffer.fill(0, bytes, length);
  }
  const written = write(output.fd, buffer, 0, length, position).then(({ bytesWritten }) => {
    if (bytesWritten !== length) throw new Error('short write to ' + destination);
  });
  written.then(() => give(buffer), () => give(buffer));
  return written;
}

/** Reads and hashes one file, handing each chunk to be written as soon as it is hashed. Resolves when the file is
 *  hashed, with landed: the promise of the copy being whole on disk (written, cut to size, closed). The next file is
 *  read and hashed meanwhile; the buffers still being written bound how far ahead that goes. */
async function copyAndHash(source, destination) {
  const input = fs.openSync(source, 'r');
  let output;
  const writes = [];
  let size = 0;
  let sha256;
  // The buffers this file holds that no write has taken over: all go back to the pool, whatever happens.
  const held = new Set();
  const hold = () => take().then((buffer) => (held.add(buffer), buffer));
  const release = (buffer) => {
    held.delete(buffer);
    give(buffer);
  };
  let reading;
  try {
    const { mode, size: expected } = fs.fstatSync(input);
    if (destination) output = openOutput(destination, mode & 0o7777);
    const hash = createHash('sha256');
    let buffer = await hold();
    reading = expected < chunkSize ? Promise.resolve({ bytesRead: fs.readSync(input, buffer, 0, chunkSize, null) }) : read(input, buffer, 0, chunkSize, null);
    for (;;) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) {
        release(buffer);
        break;
      }
      const next = await hold();
      // Once the size fstat gave is reached, the read that finds the end is a synchronous one (it returns at once).
      reading = size + bytesRead >= expected ? Promise.resolve({ bytesRead: fs.readSync(input, next, 0, chunkSize, null) }) : read(input, next, 0, chunkSize, null);
      hash.update(buffer.subarray(0, bytesRead));
      if (output !== undefined) {
        held.delete(buffer); // the write gives it back when it is done
        const written = writeChunk(output, destination, buffer, bytesRead, size);
        written.catch(() => {}); // awaited when the copy lands; a failure must not crash the worker in between
        writes.push(written);
      } else release(buffer);
      size += bytesRead;
      buffer = next;
    }
    sha256 = hash.digest();
  } catch (error) {
    await Promise.resolve(reading).catch(() => {}); // no read may still be filling a buffer handed back
    for (const buffer of held) give(buffer);
    await Promise.allSettled(writes);
    if (output !== undefined) fs.closeSync(output.fd);
    throw error;
  } finally {
    fs.closeSync(input);
  }
  // Closed only once every write has settled: a write still queued must never reach a descriptor number reused by
  // the next file.
  const landed =
    output === undefined
      ? Promise.resolve()
      : Promise.allSettled(writes)
          .then((settled) => {
            const failed = settled.find((write) => write.status === 'rejected');
            if (failed) throw failed.reason;
            if (output.direct && size % ALIGN !== 0) fs.ftruncateSync(output.fd, size);
          })
          .finally(() => fs.closeSync(output.fd));
  return { size, sha256, landed };
}

// A run: jobs are taken from the counter shared by the pool's workers; each result goes into the shared buffer at the
// job's index. Two files at a time, so that one is hashed while the other waits for a read. The worker reports done
// when every copy it made has landed, and then waits for the next run.
async function run({ jobs, next: counter, results: shared }) {
  const next = new Int32Array(counter);
  const results = new DataView(shared);
  const landing = [];
  async function lane() {
    for (;;) {
      const id = Atomics.add(next, 0, 1);
      if (id >= jobs.length) return;
      const { source, destination } = jobs[id];
      let result;
      try {
        result = await copyAndHash(source, destination);
      } catch (error) {
        parentPort.postMessage({ id, error: error.message });
        return;
      }
      const offset = id * workerData.resultBytes;
      results.setFloat64(offset, result.size, true);
      new Uint8Array(shared, offset + 8, 32).set(result.sha256);
      landing.push(result.landed.catch((error) => parentPort.postMessage({ id, error: error.message })));
    }
  }
  await Promise.all([lane(), lane()]);
  await Promise.all(landing);
  parentPort.postMessage({ done: true });
}
parentPort.on('message', run);
`;
