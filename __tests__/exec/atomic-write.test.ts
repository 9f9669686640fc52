import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { writeFileAtomic } from '../../src/exec/atomic-write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meta-deploy-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('writes the content, creating missing parent directories', async () => {
  const file = join(dir, 'reports', 'deep', 'report.json');
  await writeFileAtomic(file, '{"a":1}\n');
  expect(await readFile(file, 'utf8')).toBe('{"a":1}\n');
});

test('overwrites an existing file with the new content entirely (a shorter write leaves no old tail)', async () => {
  const file = join(dir, 'snapshot.json');
  await writeFileAtomic(file, 'a long first version of the file\n');
  await writeFileAtomic(file, 'short\n');
  expect(await readFile(file, 'utf8')).toBe('short\n');
});

test('writes multi-byte text byte for byte', async () => {
  const file = join(dir, 'unicode.txt');
  const text = 'déploiement ✓ 🚀\n';
  await writeFileAtomic(file, text);
  expect(await readFile(file)).toEqual(Buffer.from(text, 'utf8'));
});

test('leaves no temp files behind after writes and overwrites', async () => {
  const file = join(dir, 'report.json');
  for (let n = 0; n < 5; n++) await writeFileAtomic(file, `${n}\n`);
  expect(await readdir(dir)).toEqual(['report.json']);
});

test('leaves no temp file behind when the rename fails (target is a directory)', async () => {
  const file = join(dir, 'occupied');
  await writeFileAtomic(join(file, 'inner'), 'x');
  await expect(writeFileAtomic(file, 'y')).rejects.toThrow();
  expect((await readdir(dir)).sort()).toEqual(['occupied']);
});

// Two writes of the same file in the same millisecond must not share a temp file (a mix such as "bbaaaaaaaa").
test('two concurrent writes of the same file both succeed and leave one whole content', async () => {
  const file = join(dir, 'report.json');
  const long = 'a'.repeat(64);
  const short = 'b'.repeat(8);
  for (let n = 0; n < 20; n++) {
    const results = await Promise.allSettled([writeFileAtomic(file, long), writeFileAtomic(file, short)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
    expect([long, short]).toContain(await readFile(file, 'utf8'));
  }
  expect(await readdir(dir)).toEqual(['report.json']);
});
