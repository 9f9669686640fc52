import { describe, expect, it } from 'vitest';
import { binomialPValueAbove, clopperPearsonUpper } from '../../../src/metrics/stats/binomial-test.js';
import { expectClose, references } from './references.js';

describe('binomialPValueAbove', () => {
  for (const c of references.binomial) {
    it(`matches scipy binomtest: ${c.events} of ${c.total} above ${c.rate}`, () => {
      expectClose(binomialPValueAbove(c.events, c.total, c.rate), c.pValue);
    });
  }

  it('is 0 for any event when the rate under H0 is 0, and 1 when it is 1', () => {
    expect(binomialPValueAbove(1, 10, 0)).toBe(0);
    expect(binomialPValueAbove(10, 10, 1)).toBe(1);
  });
});

describe('clopperPearsonUpper', () => {
  for (const c of references.clopperPearson) {
    it(`matches scipy beta.ppf: ${c.events} of ${c.total} at ${c.confidence}`, () => {
      expectClose(clopperPearsonUpper(c.events, c.total, c.confidence), c.upper);
    });
  }
});
