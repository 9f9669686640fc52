import { describe, expect, it } from 'vitest';
import { lookAlpha, spentAlpha } from '../../../src/metrics/stats/alpha-spending.js';

describe('Pocock-type alpha spending', () => {
  it('spends nothing at the start and all of alpha at the end of the window', () => {
    expect(spentAlpha(0.02, 0)).toBe(0);
    expect(spentAlpha(0.02, 1)).toBeCloseTo(0.02, 15);
  });

  it('spends α·ln(1 + (e − 1)t): more than a straight line early on', () => {
    expect(spentAlpha(0.02, 0.05)).toBeCloseTo(0.02 * Math.log(1 + (Math.E - 1) * 0.05), 15);
    expect(spentAlpha(0.02, 0.05)).toBeGreaterThan(0.02 * 0.05);
  });

  it('gives each look only the increment since the previous look, adding up to alpha whatever the looks', () => {
    for (const looks of [1, 3, 20, 57]) {
      let total = 0;
      for (let k = 1; k <= looks; k++) total += lookAlpha(0.02, k / looks, (k - 1) / looks);
      expect(total).toBeCloseTo(0.02, 14);
    }
    // Uneven looks (a slow source) add up the same way.
    expect(lookAlpha(0.02, 0.3, 0) + lookAlpha(0.02, 0.35, 0.3) + lookAlpha(0.02, 1, 0.35)).toBeCloseTo(0.02, 14);
  });

  it('gives a repeated or backwards look no budget', () => {
    expect(lookAlpha(0.02, 0.5, 0.5)).toBe(0);
    expect(lookAlpha(0.02, 0.4, 0.5)).toBe(0);
  });
});
