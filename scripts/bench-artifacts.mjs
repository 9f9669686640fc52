// Section 6 of `npm run bench`: the build's artifact hashing on the same files in the same run as `openssl dgst
// -sha256` and `sha256sum` (each a single process over all the files): one 1 GiB file, and 1 GiB of 4096 files of
// 256 KiB. The build's side copies every file into a store beside them (same disk) and hashes it in the same read,
// on the hash pool, in a child process whose peak RSS (worker threads included) is the build's memory figure. The
// read size is measured too (1–8 MiB on the one file). Files are written to a temp dir and removed afterwards.
// `benchHashing()` returns markdown; run alone with `node scripts/bench-artifacts.mjs` (needs tsc's build/, which
// scripts/bench.mjs makes).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = join(import.meta.dirname, '..');
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const REPEATS = 3;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const mbps = (bytes, ms) => bytes / 1e6 / (ms / 1000);

/** Random (incompressible) content, written in 8 MiB blocks so that memory stays flat. */
function writeRandomFile(file, bytes) {
  const block = Buffer.allocUnsafe(Math.min(bytes, 8 * MiB));
  const fd = openSync(file, 'w');
  for (let written = 0; written < bytes; written += block.length) writeSync(fd, randomFillSync(block), 0, Math.min(block.length, bytes - written));
  closeSync(fd);
}

/** Milliseconds of one run of `command files…` in `cwd`, output discarded. */
function timeTool(command, args, cwd) {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * MiB });
  if (run.status !== 0) throw new Error(`${command} failed: ${run.stderr}`);
  return performance.now() - started;
}

/** Milliseconds for four \`dd oflag=direct\` writing \`bytes\` between them into \`folder\`, at once: the rate the disk
 *  takes writes at, with as many in flight as the hash pool keeps. */
function timeDirectWrite(folder, bytes) {
  mkdirSync(folder);
  const count = bytes / (4 * MiB) / 4;
  const writers = [0, 1, 2, 3].map((index) => `dd if=/dev/zero of=${join(folder, String(index))} bs=4M count=${count} oflag=direct status=none &`);
  return timeTool('sh', ['-c', `${writers.join(' ')} wait`], folder);
}

/** The build's copy + hash in a child process: its hashing record and its peak RSS. */
function buildCopy(dir, files, store, chunkBytes) {
  const child = spawnSync(process.execPath, [import.meta.filename, '--child', dir, store, String(chunkBytes), ...files], { encoding: 'utf8', maxBuffer: 64 * MiB });
  if (child.status !== 0) throw new Error(`build copy failed: ${child.stderr}`);
  return JSON.parse(child.stdout);
}

/** Files written and deleted in the minutes before a run must not weigh on it. This machine's ext4 has no journal, and
 *  without one ext4 steps over every inode deleted in the last minutes, one by one, on each file it creates, while
 *  their inode-table blocks are cached: after a test run or an earlier bench, 4096 creates took about a second instead
 *  of 30 ms. So the bench writes everything out (`sync`), drops the clean caches where it may (root), and warms the
 *  page cache again with the files every contender reads. Nothing is deleted between the timed runs. */
function settle(dir, files) {
  execFileSync('sync');
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3');
  } catch {
    // not root: the caches stay, and so may the slow creates
  }
  timeTool('cat', files, dir);
}

function measureSet(label, dir, files, bytes, chunkSizes) {
  const stores = [];
  const store = () => {
    stores.push(join(dir, '..', `store-${label.replace(/\W+/g, '-')}-${stores.length}`));
    return stores.at(-1);
  };
  settle(dir, files);
  const ours = [];
  const tamper = [];
  const openssl = [];
  const sha256sum = [];
  const disk = [];
  let peakRss = 0;
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const run = buildCopy(dir, files, store(), 0);
    ours.push(run.hashing.durationMs);
    tamper.push(run.tamperMs);
    peakRss = Math.max(peakRss, run.maxRssBytes);
    openssl.push(timeTool('openssl', ['dgst', '-sha256', ...files], dir));
    sha256sum.push(timeTool('sha256sum', files, dir));
    disk.push(timeDirectWrite(store(), bytes));
  }
  const chunks = chunkSizes.map((chunkBytes) => {
    const run = buildCopy(dir, files, store(), chunkBytes);
    return { chunkBytes, rate: mbps(bytes, run.hashing.durationMs) };
  });
  for (const made of stores) rmSync(made, { recursive: true, force: true });
  const rates = { ours: mbps(bytes, median(ours)), tamper: mbps(bytes, median(tamper)), openssl: mbps(bytes, median(openssl)), sha256sum: mbps(bytes, median(sha256sum)), disk: mbps(bytes, median(disk)) };
  return { label, rates, peakRss, chunks };
}

export async function benchHashing() {
  const base = mkdtempSync(join(tmpdir(), 'meta-deploy-bench-artifacts-'));
  try {
    const one = join(base, 'one');
    mkdirSync(one);
    writeRandomFile(join(one, 'artifact.bin'), GiB);
    const single = measureSet('one 1 GiB file', one, ['artifact.bin'], GiB, [1, 2, 4, 8].map((n) => n * MiB));
    rmSync(one, { recursive: true, force: true });

    const many = join(base, 'many');
    mkdirSync(many);
    const names = Array.from({ length: 4096 }, (_, index) => `f${String(index).padStart(4, '0')}.bin`);
    for (const name of names) writeRandomFile(join(many, name), 256 * 1024);
    const small = measureSet('4096 files of 256 KiB', many, names, GiB, []);

    const rate = (value) => `${value.toFixed(0)} MB/s`;
    const rows = [single, small].map(
      ({ label, rates, peakRss }) =>
        `| ${label} | ${rate(rates.ours)} | ${rate(rates.tamper)} | ${rate(rates.openssl)} | ${rate(rates.sha256sum)} | ${rate(rates.disk)} | ${(rates.ours / rates.openssl).toFixed(2)}× | ${(rates.tamper / rates.openssl).toFixed(2)}× | ${(peakRss / MiB).toFixed(0)} MiB |`,
    );
    const chunkLine = single.chunks.map(({ chunkBytes, rate }) => `${chunkBytes / MiB} MiB ${rate.toFixed(0)} MB/s`).join(', ');
    const ratio = (set, key) => set.rates[key] / set.rates.openssl;
    const goals = [
      `≥ 0.9× openssl on the one file → ${ratio(single, 'ours') >= 0.9 ? 'met' : 'NOT met'} (copy + hash ${ratio(single, 'ours').toFixed(2)}×)`,
      `≥ 1.6× openssl's single-process rate on the many files → hashing ${ratio(small, 'tamper') >= 1.6 ? 'met' : 'NOT met'} (${ratio(small, 'tamper').toFixed(2)}×), copy + hash ${ratio(small, 'ours') >= 1.6 ? 'met' : 'NOT met'} (${ratio(small, 'ours').toFixed(2)}×: a copy cannot outrun the disk, whose direct-write rate here is ${ratio(small, 'disk').toFixed(2)}× openssl; the copy runs at ${((100 * small.rates.ours) / small.rates.disk).toFixed(0)} % of it)`,
      `peak memory under 200 MB → ${Math.max(single.peakRss, small.peakRss) < 200e6 ? 'met' : 'NOT met'}`,
    ];
    return [
      `Artifact hashing, measured ${new Date().toISOString().slice(0, 10)}, medians of ${REPEATS}, page cache warm, same files for every tool, the disk settled first (see settle() in scripts/bench-artifacts.mjs). The build copies each file into the store and hashes it in the same read; the tamper check hashes the store's copies against SHA256SUMS before a deploy (here with the copies in the page cache, as the sources are); openssl and sha256sum only read and hash (one process over all files). The disk column is four \`dd bs=4M oflag=direct\` at once writing the same number of bytes: the rate the disk takes writes at. The hash pool starts half a second before the copy, as it does while a build command runs; its start-up is not timed. Before a real deploy the copies are read from disk (O_DIRECT leaves them out of the page cache), at the disk's read rate.`,
      '',
      '| files (1 GiB) | build: copy + SHA-256 | tamper check: SHA-256 | `openssl dgst -sha256` | `sha256sum` | disk, direct write | copy ÷ openssl | hash ÷ openssl | build peak RSS |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `Read size on the one file: ${chunkLine}.`,
      '',
      `Goals: ${goals.join('; ')}.`,
    ].join('\n');
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

// The child: copy + hash `files` of `dir` into `store` as the build does (then its SHA256SUMS and integrity step, and
// the tamper check), and report the hashing record, the tamper check's time and the peak RSS.
async function child([dir, store, chunk, ...files]) {
  const { copyAndHashFiles, warmHashPool } = await import(join(root, 'build', 'src', 'artifacts', 'hash-pool.js'));
  const { collectArtifacts, writeManifest } = await import(join(root, 'build', 'src', 'artifacts', 'collect-artifacts.js'));
  const { verifyAgainstManifest, verifyBuiltArtifacts } = await import(join(root, 'build', 'src', 'artifacts', 'verify-manifest.js'));
  let hashing;
  let tamperMs;
  // As the build stage does, the pool starts when the build command does; the build command here is half a second.
  warmHashPool({ chunkBytes: Number(chunk) || undefined });
  await new Promise((resolve) => setTimeout(resolve, 500));
  if (Number(chunk) > 0) {
    // A given read size: the same pool, with only the chunk size changed.
    mkdirSync(store, { recursive: true });
    const started = performance.now();
    await copyAndHashFiles(files.map((file) => ({ source: join(dir, file), destination: join(store, file) })), { chunkBytes: Number(chunk) });
    hashing = { durationMs: performance.now() - started };
  } else {
    // The build stage's artifact work: copy + hash, SHA256SUMS, and the integrity step reading it back.
    const collected = await collectArtifacts(dir, files, store);
    hashing = collected.hashing;
    await writeManifest(store, collected.artifacts);
    const { problems } = await verifyBuiltArtifacts(store, collected.artifacts);
    if (problems.length) throw new Error(problems.join('; '));
    // The tamper check before a deploy, on the copies brought into the page cache as the sources are.
    execFileSync('cat', files, { cwd: store, stdio: ['ignore', 'ignore', 'inherit'] });
    const started = performance.now();
    const check = await verifyAgainstManifest(store, 'full');
    tamperMs = performance.now() - started;
    if (check.problems.length) throw new Error(check.problems.join('; '));
  }
  process.stdout.write(JSON.stringify({ hashing, tamperMs, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
}

if (process.argv[2] === '--child') await child(process.argv.slice(3));
else if (import.meta.url === `file://${process.argv[1]}`) {
  execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root, '--outDir', join(root, 'build'), '--noEmit', 'false'], { stdio: 'inherit' });
  console.log(await benchHashing());
}
