import { describe, expect, it } from 'vitest';
import { createLineSplitter, MAX_LINE_CHARS } from '../../src/exec/line-splitter.js';
import { createMasker } from '../../src/exec/mask.js';

/** Feeds `text` in chunks of `size` bytes and returns the masked lines, as the runner would stream them. */
function split(text: string, secrets: string[], size: number): string[] {
  const mask = createMasker(secrets);
  const lines: string[] = [];
  const splitter = createLineSplitter(mask, (line) => lines.push(mask(line)));
  const bytes = Buffer.from(text);
  for (let start = 0; start < bytes.length; start += size) splitter.write(bytes.subarray(start, start + size));
  splitter.flush();
  return lines;
}

describe('createLineSplitter', () => {
  it('splits on newlines, drops the \\r of \\r\\n, and emits the last line without a newline at the end', () => {
    expect(split('one\r\ntwo\n\nthree', [], 2)).toEqual(['one', 'two', '', 'three']);
  });

  it('keeps multi-byte characters whole across chunks', () => {
    expect(split('héllo wörld ✓\n', [], 1)).toEqual(['héllo wörld ✓']);
  });

  it('cuts a line without a newline so no piece is longer than the limit', () => {
    const pieces = split('z'.repeat(3 * MAX_LINE_CHARS + 5), [], 4096);
    expect(pieces.every((piece) => piece.length <= MAX_LINE_CHARS)).toBe(true);
    expect(pieces.join('')).toBe('z'.repeat(3 * MAX_LINE_CHARS + 5));
  });

  it('never cuts through a secret, whatever its offset from the cut and however the output is chunked', () => {
    const secrets = ['sk-live-0123456789abcdef', 'short-key'];
    for (const secret of secrets) {
      for (let offset = MAX_LINE_CHARS - secret.length - 2; offset <= MAX_LINE_CHARS + 2; offset++) {
        const text = `${'x'.repeat(offset)}${secret}${'y'.repeat(MAX_LINE_CHARS + 100)}`;
        for (const size of [997, 4096, MAX_LINE_CHARS + 1, text.length]) {
          const pieces = split(text, secrets, size);
          expect(pieces.join(''), `${secret} at ${offset}, chunks of ${size}`).toBe(`${'x'.repeat(offset)}***${'y'.repeat(MAX_LINE_CHARS + 100)}`);
        }
      }
    }
  });

  it('never cuts through a secret when secrets follow each other across the cut', () => {
    const secret = 'tok-5e5e5e5e';
    const text = `${'x'.repeat(MAX_LINE_CHARS - 30)}${secret.repeat(8)}${'y'.repeat(MAX_LINE_CHARS)}`;
    for (const size of [1000, text.length]) {
      expect(split(text, [secret], size).join('')).toBe(`${'x'.repeat(MAX_LINE_CHARS - 30)}${'***'.repeat(8)}${'y'.repeat(MAX_LINE_CHARS)}`);
    }
  });
});
