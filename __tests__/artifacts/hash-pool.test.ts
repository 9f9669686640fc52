import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { copyAndHashFiles } from '../../src/artifacts/hash-pool.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meta-deploy-hash-pool-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});
const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

test('a file of many chunks is copied byte for byte and hashed in the same pass (chunk boundaries not aligned)', async () => {
  const content = randomBytes(10 * 1024 + 123);
  await writeFile(join(dir, 'big.bin'), content);
  const { files } = await copyAndHashFiles([{ source: join(dir, 'big.bin'), destination: join(dir, 'copy.bin') }], { chunkBytes: 1024 });
  expect(files).toEqual([{ size: content.length, sha256: sha256(content) }]);
  expect((await readFile(join(dir, 'copy.bin'))).equals(content)).toBe(true);
});

test('many files on several workers: each result in the order of the jobs', async () => {
  const contents = Array.from({ length: 40 }, (_, index) => randomBytes(index * 97));
  await Promise.all(contents.map((content, index) => writeFile(join(dir, `f${index}`), content)));
  const jobs = contents.map((_, index) => ({ source: join(dir, `f${index}`), destination: join(dir, `c${index}`) }));
  const { files, workers } = await copyAndHashFiles(jobs, { workers: 3, chunkBytes: 512 });
  expect(workers).toBe(3);
  expect(files).toEqual(contents.map((content) => ({ size: content.length, sha256: sha256(content) })));
  for (const [index, content] of contents.entries()) expect((await readFile(join(dir, `c${index}`))).equals(content)).toBe(true);
});

test('without a destination a file is only hashed', async () => {
  const content = randomBytes(3000);
  await writeFile(join(dir, 'a'), content);
  const { files } = await copyAndHashFiles([{ source: join(dir, 'a') }], { chunkBytes: 1024 });
  expect(files).toEqual([{ size: 3000, sha256: sha256(content) }]);
});

test('a file that cannot be read rejects, naming it', async () => {
  await expect(copyAndHashFiles([{ source: join(dir, 'absent'), destination: join(dir, 'copy') }])).rejects.toThrow(/absent.*ENOENT/);
});

test('after a failure the same pool serves the next run; runs asked for at once take turns, each with its own results', async () => {
  const contents = Array.from({ length: 12 }, (_, index) => randomBytes(5000 + index));
  await Promise.all(contents.map((content, index) => writeFile(join(dir, `f${index}`), content)));
  const failing = [{ source: join(dir, 'f0') }, { source: join(dir, 'absent') }, { source: join(dir, 'f1') }];
  await expect(copyAndHashFiles(failing, { chunkBytes: 4096 })).rejects.toThrow(/absent.*ENOENT/);
  const runs = await Promise.all(
    [contents.slice(0, 6), contents.slice(6)].map((part, run) =>
      copyAndHashFiles(part.map((_, index) => ({ source: join(dir, `f${run * 6 + index}`) })), { chunkBytes: 4096 }),
    ),
  );
  expect(runs.flatMap((run) => run.files)).toEqual(contents.map((content) => ({ size: content.length, sha256: sha256(content) })));
});

test('a copy written with O_DIRECT (4 KiB multiples) has exactly the size and bytes of its source, whatever the tail', async () => {
  const sizes = [0, 1, 4095, 4096, 4097, 3 * 65536 + 17, 2 * 65536];
  const contents = sizes.map((size) => randomBytes(size));
  await Promise.all(contents.map((content, index) => writeFile(join(dir, `s${index}`), content)));
  const jobs = contents.map((_, index) => ({ source: join(dir, `s${index}`), destination: join(dir, `d${index}`) }));
  const { files } = await copyAndHashFiles(jobs, { chunkBytes: 65536 });
  expect(files).toEqual(contents.map((content) => ({ size: content.length, sha256: sha256(content) })));
  for (const [index, content] of contents.entries()) expect((await readFile(join(dir, `d${index}`))).equals(content)).toBe(true);
});

test('read failures give their buffers back: after many, the same pool still copies', async () => {
  await mkdir(join(dir, 'a-directory'));
  const content = randomBytes(70_000);
  await writeFile(join(dir, 'good'), content);
  for (let attempt = 0; attempt < 8; attempt++) {
    await expect(copyAndHashFiles([{ source: join(dir, 'a-directory'), destination: join(dir, `out${attempt}`) }], { workers: 1, chunkBytes: 16384 })).rejects.toThrow(/a-directory.*EISDIR/);
  }
  const { files } = await copyAndHashFiles([{ source: join(dir, 'good'), destination: join(dir, 'copy') }], { workers: 1, chunkBytes: 16384 });
  expect(files).toEqual([{ size: content.length, sha256: sha256(content) }]);
  expect((await readFile(join(dir, 'copy'))).equals(content)).toBe(true);
}, 20_000);
