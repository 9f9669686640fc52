import { describe, expect, it } from 'vitest';
import { createOutputTail } from '../../src/exec/output-tail.js';

describe('createOutputTail', () => {
  it('keeps every line while under the limit', () => {
    const tail = createOutputTail(100);
    tail.push('one');
    tail.push('two');
    expect(tail.text()).toBe('one\ntwo');
  });

  it('keeps only the last lines and says how many bytes were dropped', () => {
    const tail = createOutputTail(10);
    for (const line of ['aaaa', 'bbbb', 'cccc', 'dddd']) tail.push(line);
    expect(tail.text()).toBe('… (10 bytes earlier output omitted)\ncccc\ndddd');
  });

  it('keeps the end of a single line longer than the limit', () => {
    const tail = createOutputTail(8);
    tail.push('0123456789abcdef');
    expect(tail.text()).toBe('… (9 bytes earlier output omitted)\n9abcdef');
  });

  it('stays bounded over many lines', () => {
    const tail = createOutputTail(1024);
    for (let i = 0; i < 100_000; i++) tail.push(`line ${i}`);
    const text = tail.text();
    expect(text.endsWith('line 99999')).toBe(true);
    expect(Buffer.byteLength(text)).toBeLessThan(1100);
  });
});
