// Every file in the broken-config corpus is refused with its first problem at the right line and column.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';

const corpus = path.join(import.meta.dirname, '../fixtures/broken-configs');
const expected = JSON.parse(readFileSync(path.join(corpus, 'expected.json'), 'utf8')) as Record<
  string,
  { line: number; column: number; messageIncludes: string }
>;
const files = readdirSync(corpus)
  .filter((file) => file.endsWith('.yml'))
  .sort();

describe('broken configs', () => {
  test('the corpus has at least 18 files, each with an expectation, each carrying the marker command', () => {
    expect(files.length).toBeGreaterThanOrEqual(18);
    expect(Object.keys(expected).sort()).toEqual(files);
    for (const file of files) expect(readFileSync(path.join(corpus, file), 'utf8')).toContain('run: touch MARKER_RAN');
  });

  test.each(files)('%s is refused at the expected place with the expected message', (file) => {
    const want = expected[file];
    const result = parseConfig(readFileSync(path.join(corpus, file), 'utf8'), file);
    expect(result.ok).toBe(false);
    if (result.ok || want === undefined) return;
    const [first] = result.problems;
    expect(first).toMatchObject({ file, line: want.line, column: want.column });
    expect(first?.message).toContain(want.messageIncludes);
  });

  test.each(files)('%s: every problem is located inside the file', (file) => {
    const text = readFileSync(path.join(corpus, file), 'utf8');
    const lines = text.split('\n');
    const result = parseConfig(text, file);
    if (result.ok) throw new Error(`${file} was accepted`);
    for (const problem of result.problems) {
      expect(problem.line).toBeGreaterThanOrEqual(1);
      expect(problem.line).toBeLessThanOrEqual(lines.length);
      expect(problem.column).toBeGreaterThanOrEqual(1);
    }
  });
});
