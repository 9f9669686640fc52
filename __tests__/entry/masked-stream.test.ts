import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { maskedStream } from '../../src/entry/masked-stream.js';
import { createMasker } from '../../src/exec/mask.js';

async function through(chunks: string[], secrets: string[]): Promise<string> {
  const out = new PassThrough();
  let written = '';
  out.on('data', (chunk: Buffer) => (written += chunk.toString()));
  const stream = maskedStream(out, createMasker(secrets));
  for (const chunk of chunks) stream.write(chunk);
  await new Promise<void>((resolve) => stream.end(resolve));
  return written;
}

describe('maskedStream', () => {
  const secret = 'ghp_0123456789abcdefXYZ';
  const text = `│ token: ${secret} │\n  build | uses ${secret}\nlast line without newline ${secret}`;

  it('masks a secret however a renderer chunks its writes, cut at every offset', async () => {
    const expected = text.replaceAll(secret, '***');
    for (let at = 1; at < text.length; at++) {
      expect(await through([text.slice(0, at), text.slice(at)], [secret]), `cut at ${at}`).toBe(expected);
    }
    expect(await through(Array.from(text), [secret])).toBe(expected);
  });

  it('writes complete lines at once, so they keep their order with other writers', async () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const stream = maskedStream(out, createMasker([]));
    stream.write('one\ntwo\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toBe('one\ntwo\n');
  });

  it('drops what cannot be written (a closed pipe) instead of failing the run', async () => {
    const out = new PassThrough();
    const stream = maskedStream(out, createMasker([]));
    // What a pipe whose reader went away does: an 'error' event, fatal when nobody listens.
    expect(() => out.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).not.toThrow();
    out.destroy();
    stream.write('nobody reads this\n');
    await new Promise<void>((resolve) => stream.end(resolve));
  });
});
