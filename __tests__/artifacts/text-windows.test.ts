import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { collectArtifacts } from '../../src/artifacts/collect-artifacts.js';
import { scanSecrets } from '../../src/artifacts/scan-secrets.js';
import { forEachTextWindow, lineNumbers, positionIn, type TextPosition, type TextWindow } from '../../src/artifacts/text-windows.js';
import { plantedSecrets } from '../support/planted-secrets.js';
import { ROOT } from '../support/runner-files.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'meta-deploy-windows-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function windowsOf(content: string | Buffer, chunk: number, overlap: number): Promise<{ windows: TextWindow[]; binary?: string }> {
  const file = join(root, 'f');
  await writeFile(file, content);
  const windows: TextWindow[] = [];
  const binary = await forEachTextWindow(file, async (window) => void windows.push(window), { chunk, overlap });
  return { windows, binary };
}

test('the owned parts of the windows are the whole file, once, in order; each window has the overlap around it', async () => {
  const content = Array.from({ length: 300 }, (_, index) => `line ${index}`).join('\n');
  const { windows } = await windowsOf(content, 64, 16);
  expect(windows.map((w) => w.text.slice(w.ownedFrom, w.ownedTo)).join('')).toBe(content);
  expect(windows.length).toBeGreaterThan(10);
  for (const [index, w] of windows.entries()) {
    expect(w.ownedFrom).toBe(index === 0 ? 0 : 16);
    if (index < windows.length - 1) expect(w.text.length - w.ownedTo).toBe(16);
  }
});

test('line numbers are true file line numbers in every window, whatever the characters before them', async () => {
  const content = Array.from({ length: 500 }, (_, index) => `L${index + 1}${index % 7 === 0 ? ' é€𝄞' : ''}`).join('\n');
  const { windows } = await windowsOf(content, 50, 10);
  const positions: TextPosition[] = [];
  const expected: string[] = [];
  for (const w of windows) {
    for (let index = w.ownedFrom; index < w.ownedTo; index++) {
      if (w.text[index] === 'L') {
        positions.push(positionIn(w, index));
        expected.push(/^L\d+/.exec(w.text.slice(index))![0]);
      }
    }
  }
  expect(expected).toHaveLength(500);
  expect((await lineNumbers(join(root, 'f'), positions)).map((line) => `L${line}`)).toEqual(expected);
});

test('a file found shorter than when it was scanned: its lines are counted to its end, nothing waits', async () => {
  const file = join(root, 'short');
  await writeFile(file, 'a\nb\nc\n');
  expect(await lineNumbers(file, [{ start: 4, newlines: 1 }, { start: 100, newlines: 0 }, { start: 0, newlines: 0 }])).toEqual([4, 4, 1]);
});

test('multi-byte characters cut by a window boundary are decoded whole, and the owned parts stay exact', async () => {
  // The second starts with a 2-byte character, which the first window's end can cut right after (a context must then
  // start at byte 0, not mid-character).
  for (const content of [`${'a'.repeat(63)}é${'ö'.repeat(100)}€${'𝄞'.repeat(50)}z`, `é${'abcdefghijklmnop'.repeat(3)}`]) {
    for (const [chunk, overlap] of [[16, 8], [17, 8], [18, 8], [19, 8], [64, 8], [5, 4], [6, 4]] as const) {
      const { windows, binary } = await windowsOf(content, chunk, overlap);
      expect(binary).toBeUndefined();
      expect(windows.map((w) => w.text.slice(w.ownedFrom, w.ownedTo)).join(''), `chunk ${chunk}`).toBe(content);
      expect(windows.every((w) => !w.text.includes('\ufffd')), `chunk ${chunk} overlap ${overlap}`).toBe(true);
    }
  }
});

test('invalid bytes after the first chunk are read as U+FFFD, and the owned parts are still the whole file once', async () => {
  const bytes = Buffer.concat([Buffer.from('a'.repeat(100)), Buffer.from([0xe2, 0x82, 0x80, 0x80, 0x80, 0x80, 0xf0, 0x41, 0xc3]), Buffer.from('tail é')]);
  const whole = new TextDecoder().decode(bytes);
  for (const chunk of [8, 9, 10, 11, 12, 13]) {
    const { windows } = await windowsOf(bytes, chunk, 4);
    expect(windows.map((w) => w.text.slice(w.ownedFrom, w.ownedTo)).join(''), `chunk ${chunk}`).toBe(whole);
  }
});

test('any bytes, any window sizes: the owned parts are the whole decoded file once, and every line number is exact', async () => {
  // Valid characters of every length, U+FEFF (the decoder must not drop it mid-file), CR and CRLF, and invalid
  // sequences: surrogates, overlong forms, lone continuation bytes, cut 3- and 4-byte characters.
  const pieces = [[0x41], [0x0a], [0x0d], [0x0d, 0x0a], [0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9d, 0x84, 0x9e], [0xef, 0xbb, 0xbf], [0xed, 0xa0, 0x80], [0xf4, 0x90], [0xc0, 0x80], [0x80], [0xbf], [0xf0, 0x9f, 0x98], [0xe2, 0x82], [0xf8], [0xff], [0xe0, 0x80, 0x80], [0x7a]];
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
  const file = join(root, 'f');
  for (let round = 0; round < 150; round++) {
    // Some text first, so that the first chunk is text (a binary file has no windows); after it, anything.
    const bytes = Buffer.from([...'a'.repeat(8 + Math.floor(random() * 30))].map((c) => c.charCodeAt(0)).concat(...Array.from({ length: Math.floor(random() * 80) }, () => pieces[Math.floor(random() * pieces.length)]!)));
    await writeFile(file, bytes);
    const whole = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    for (const [chunk, overlap] of [[4, 4], [5, 4], [6, 4], [7, 4], [8, 5], [9, 6], [13, 6], [40, 7]] as const) {
      const windows: TextWindow[] = [];
      // A first chunk (40 bytes) that reaches the invalid bytes makes the file binary: nothing to compare.
      if (await forEachTextWindow(file, async (window) => void windows.push(window), { chunk, overlap })) continue;
      const label = `${bytes.toString('hex')} chunk ${chunk} overlap ${overlap}`;
      expect(windows.map((w) => w.text.slice(w.ownedFrom, w.ownedTo)).join(''), label).toBe(whole);
      const positions: TextPosition[] = [];
      const expected: number[] = [];
      let line = 1;
      for (const w of windows) {
        for (let index = w.ownedFrom; index < w.ownedTo; index++) {
          positions.push(positionIn(w, index));
          expected.push(line);
          if (w.text[index] === '\n') line++;
        }
      }
      expect(await lineNumbers(file, positions), label).toEqual(expected);
    }
  }
}, 60_000);

test('binary by content: NUL bytes or invalid UTF-8 in the first chunk; no window is visited', async () => {
  expect(await windowsOf(Buffer.from('text\0more'), 64, 16)).toEqual({ windows: [], binary: 'binary content (NUL bytes)' });
  expect(await windowsOf(Buffer.from([0x61, 0xc3, 0x28, 0x62]), 64, 16)).toEqual({ windows: [], binary: 'binary content (not UTF-8)' });
});

test('a secret across a window boundary is found once, with its true line, wherever the boundary cuts it', async () => {
  const secrets = plantedSecrets();
  const workspace = join(root, 'ws');
  for (const planted of secrets) {
    // The boundary (at character 4096) falls at every few characters of the secret in turn.
    for (let shift = 0; shift < planted.text.length; shift += 7) {
      const prefix = `${'x'.repeat(10)}\n`.repeat(Math.floor((4096 - shift) / 11));
      const content = `${prefix}${'y'.repeat(4096 - shift - prefix.length)} ${planted.text}\n${`${'z'.repeat(79)}\n`.repeat(100)}`;
      await rm(workspace, { recursive: true, force: true });
      await import('node:fs/promises').then(({ mkdir }) => mkdir(join(workspace, 'dist'), { recursive: true }));
      await writeFile(join(workspace, 'dist', 'bundle.js'), content);
      await writeFile(join(workspace, 'dist', 'other.js'), 'ok\n');
      const into = join(root, `into-${shift}`);
      const { artifacts: records } = await collectArtifacts(workspace, ['dist/bundle.js', 'dist/other.js'], into);
      const scan = await scanSecrets(into, records, { knownSecrets: [], allow: [], window: { chunk: 4096, overlap: 2048 } });
      expect(scan.bytes).toBeGreaterThan(4096 + 2048 + 4096);
      expect(scan.findings.map((f) => `${f.path}:${f.line} ${f.rule}`), `${planted.name} cut at ${shift}`).toEqual([`bundle.js:${prefix.split('\n').length} ${planted.rule}`]);
    }
  }
});

test('memory stays flat: a 100 MiB one-line file is scanned with RSS growth under 50 MB', async () => {
  const file = join(root, 'big.js');
  const line = 'function f(a,b){return a.map(function(x){return x*b+"abc"})};var q={"k":[1,2,3],"s":"text"};';
  await writeFile(file, line.repeat(Math.ceil((100 * 1024 * 1024) / line.length)));
  const script = `
    const { forEachTextWindow } = await import(${JSON.stringify(join(ROOT, 'src/artifacts/text-windows.ts'))});
    globalThis.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before, chars = 0;
    await forEachTextWindow(process.argv[1], async (w) => { chars += w.ownedTo - w.ownedFrom; /x{99}/.test(w.text); peak = Math.max(peak, process.memoryUsage().rss); });
    console.log(JSON.stringify({ growth: peak - before, chars }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, file], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  const { growth, chars } = JSON.parse(child.stdout) as { growth: number; chars: number };
  expect(chars).toBeGreaterThanOrEqual(100 * 1024 * 1024);
  expect(growth).toBeLessThan(50 * 1024 * 1024);
}, 60_000);
