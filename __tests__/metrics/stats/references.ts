// The scipy reference values of scripts/reference/judge-references.py, typed for the statistics tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

export interface References {
  mannWhitney: { name: string; method: 'exact' | 'asymptotic'; x: number[]; y: number[]; u: number; pValue: number }[];
  binomial: { events: number; total: number; rate: number; pValue: number }[];
  clopperPearson: { events: number; total: number; confidence: number; upper: number }[];
}

export const references: References = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'judge-references.json'), 'utf8'));

/** Agreement to 1e-9 relative (1e-300 absolute for values that underflow anyway). */
export function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.max(1e-9 * Math.abs(expected), 1e-300));
}
