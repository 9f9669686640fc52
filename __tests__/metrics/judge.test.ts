import { describe, expect, it } from 'vitest';
import { judgeMetric, type MetricInput } from '../../src/metrics/judge.js';
import { lookAlpha } from '../../src/metrics/stats/alpha-spending.js';
import type { Look, MetricSamples } from '../../src/metrics/verdict.js';

/** n values spread evenly (golden-ratio order, so unsorted) between lo and hi. */
function spread(n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + (hi - lo) * ((i * 0.6180339887) % 1));
}
const values = (v: number[]): MetricSamples => ({ kind: 'values', values: v });
const counts = (events: number, total: number): MetricSamples => ({ kind: 'counts', events, total });

const FIRST_LOOK: Look = { confidence: 0.98, minSamples: 20, fraction: 0.05, previousFraction: 0 };
const FINAL_LOOK: Look = { confidence: 0.98, minSamples: 20, fraction: 1, previousFraction: 0.95 };

function latency(before: MetricSamples | { noData: string }, after: MetricSamples | { noData: string }, look = FIRST_LOOK, floor?: number) {
  const input: MetricInput = { name: 'latency-p95', source: 'probes', unit: 'ms', before, after, limit: { kind: 'max-ratio', ratio: 1.5, floor }, look };
  return judgeMetric(input);
}
function errorRate(before: MetricSamples | { noData: string }, after: MetricSamples | { noData: string }, look = FIRST_LOOK) {
  return judgeMetric({ name: 'error-rate', source: 'probes', unit: 'ratio', before, after, limit: { kind: 'rate', max: 0.01, maxIncrease: 0.005 }, look });
}

describe('judgeMetric: values against a max-ratio (latency)', () => {
  it('fails a doubled latency at the first look, with the figures, counts, test and confidence in the reason', () => {
    const verdict = latency(values(spread(600, 10, 30)), values(spread(150, 20, 60)));
    expect(verdict).toMatchObject({ status: 'fail', test: 'mann-whitney-u', before: { samples: 600 }, after: { samples: 150 }, limit: 'max ×1.5 of before' });
    expect(verdict.before.value).toBeCloseTo(29, 0);
    expect(verdict.after.value).toBeCloseTo(58, 0);
    expect(verdict.pValue).toBeLessThan(verdict.alpha!);
    expect(verdict.alpha).toBeCloseTo(lookAlpha(0.02, 0.05, 0), 15);
    expect(verdict.reason).toBe(
      'latency-p95: p95 29ms → 58ms (×2.00, limit max ×1.5 of before), 600 → 150 samples: above the limit, over 99.99% sure by Mann-Whitney U (needed 99.84%)',
    );
  });

  it('passes an unchanged latency', () => {
    const verdict = latency(values(spread(600, 10, 30)), values(spread(150, 10, 30)));
    expect(verdict.status).toBe('pass');
    expect(verdict.reason).toMatch(/: within the limit \(0\.00% sure it is crossed by Mann-Whitney U, needed 99\.84%\)$/);
  });

  it('passes a latency up by less than the limit, however many samples show the change', () => {
    expect(latency(values(spread(5000, 10, 30)), values(spread(5000, 13, 39))).status).toBe('pass');
  });

  it('is inconclusive when the p95 is beyond the limit but the evidence is not significant', () => {
    // Two slow answers out of twenty after: the p95 doubles, the distribution barely moves.
    const after = [...spread(18, 10, 30), 70, 80];
    const verdict = latency(values(spread(20, 10, 30)), values(after), FINAL_LOOK);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.reason).toMatch(/\(×2\.\d\d, limit max ×1\.5 of before\), 20 → 20 samples: beyond the limit but only \d+\.\d\d% sure by Mann-Whitney U \(needed 99\.\d\d%\)$/);
  });

  it('is inconclusive with fewer than min-samples on either side, whatever the figures', () => {
    const fewAfter = latency(values(spread(600, 10, 30)), values(spread(19, 100, 300)));
    expect(fewAfter).toMatchObject({ status: 'inconclusive', test: 'none', after: { samples: 19 } });
    expect(fewAfter.reason).toMatch(/600 → 19 samples: too few samples to judge \(needs 20 on each side\)$/);
    expect(latency(values(spread(19, 10, 30)), values(spread(600, 100, 300))).status).toBe('inconclusive');
  });

  it('is no data when either side measured nothing', () => {
    expect(latency(values(spread(600, 10, 30)), { noData: 'connection refused' })).toMatchObject({
      status: 'no-data',
      test: 'none',
      reason: 'latency-p95: no data after the deploy (connection refused)',
    });
    expect(latency({ noData: 'prometheus: empty vector' }, values(spread(60, 10, 30))).reason).toBe(
      'latency-p95: no data before the deploy (prometheus: empty vector)',
    );
    expect(latency(values(spread(600, 10, 30)), values([])).reason).toBe('latency-p95: no data after the deploy (0 samples)');
    expect(latency(values(spread(600, 10, 30)), counts(1, 100)).reason).toBe(
      'latency-p95: no data after the deploy (the source gave counts, the limit needs values)',
    );
  });

  it('counts values under the floor as the floor: a tripled sub-floor latency is timer noise', () => {
    const before = values(spread(600, 0.1, 0.3));
    const after = values(spread(150, 0.3, 0.9));
    expect(latency(before, after).status).toBe('fail');
    const floored = latency(before, after, FIRST_LOOK, 1);
    expect(floored.status).toBe('pass');
    expect(floored.limit).toBe('max ×1.5 of before (values under 1ms count as 1ms)');
  });

  it('still fails a latency that rises from under the floor to well above it', () => {
    expect(latency(values(spread(600, 0.5, 1.5)), values(spread(150, 12, 16)), FIRST_LOOK, 10).status).toBe('fail');
  });

  it('needs more evidence at an early look than at a single final look (the window budget is spent across looks)', () => {
    // A moderate slowdown on few samples: significant at the whole budget, not at the first look's share.
    const before = values(spread(40, 10, 30));
    const after = values(spread(25, 18, 54));
    const early = latency(before, after, FIRST_LOOK);
    const single = latency(before, after, { ...FIRST_LOOK, fraction: 1, previousFraction: 0 });
    expect(early.pValue).toBe(single.pValue);
    expect(single.status).toBe('fail');
    expect(early.status).toBe('inconclusive');
    expect(early.alpha).toBeLessThan(single.alpha!);
  });

  it('counts only finite values as samples (Prometheus answers NaN for a step without traffic)', () => {
    const verdict = latency(values([...spread(30, 10, 30), Number.NaN, Infinity]), values([...spread(30, 10, 30), Number.NaN]), FINAL_LOOK);
    expect(verdict).toMatchObject({ status: 'pass', before: { samples: 30 }, after: { samples: 30 } });
    expect(latency(values(spread(30, 10, 30)), values([Number.NaN, Number.NaN])).reason).toBe('latency-p95: no data after the deploy (0 samples)');
  });

  it('re-reads a before window that grew between looks', () => {
    const before = spread(30, 10, 30);
    expect(latency(values(before), values(spread(30, 10, 30))).before.samples).toBe(30);
    before.push(...spread(30, 10, 30));
    expect(latency(values(before), values(spread(30, 10, 30))).before.samples).toBe(60);
  });
});

describe('judgeMetric: values against a min-ratio (throughput)', () => {
  const throughput = (before: number[], after: number[]) =>
    judgeMetric({ name: 'throughput', source: 'prometheus', unit: 'rps', before: values(before), after: values(after), limit: { kind: 'min-ratio', ratio: 0.8 }, look: FINAL_LOOK });

  it('fails a halved throughput and shows the medians', () => {
    const verdict = throughput(spread(20, 90, 110), spread(20, 45, 55));
    expect(verdict.status).toBe('fail');
    expect(verdict.reason).toMatch(/^throughput: median 99\.\d req\/s → 49\.\d req\/s \(×0\.50, limit min ×0\.8 of before\), 20 → 20 samples: above the limit/);
  });

  it('passes an unchanged or higher throughput', () => {
    expect(throughput(spread(20, 90, 110), spread(20, 90, 110)).status).toBe('pass');
    expect(throughput(spread(20, 90, 110), spread(20, 180, 220)).status).toBe('pass');
  });
});

describe('judgeMetric: counts against a rate limit (error rate)', () => {
  it('fails an error rate above max and names that limit', () => {
    const verdict = errorRate(counts(2, 600), counts(15, 150));
    expect(verdict).toMatchObject({ status: 'fail', test: 'binomial-exact', before: { samples: 600 }, after: { samples: 150, value: 0.1 }, limit: 'max 1.00% and before + 0.50%' });
    expect(verdict.reason).toMatch(/^error-rate: 0\.33% → 10\.00% \(2\/600 → 15\/150\): above max 1\.00%, over 99\.99% sure by exact binomial test \(needed 99\.84%\)$/);
  });

  it('fails a rise beyond before + max-increase while below max, naming the increase and its bound', () => {
    const verdict = errorRate(counts(0, 30_000), counts(90, 10_000));
    expect(verdict.status).toBe('fail');
    expect(verdict.reason).toMatch(/: above before \+ 0\.50% \(at most 0\.5\d% at this confidence\), over 99\.99% sure/);
  });

  it('passes a steady small error rate, and one single failure out of eight is too few samples, not 12.5 %', () => {
    expect(errorRate(counts(2, 600), counts(1, 150)).status).toBe('pass');
    const few = errorRate(counts(2, 600), counts(1, 8));
    expect(few).toMatchObject({ status: 'inconclusive', test: 'none' });
    expect(few.reason).toBe('error-rate: 0.33% → 12.50% (2/600 → 1/8): too few samples to judge (needs 20 after)');
  });

  it('is inconclusive when the after rate is above a limit without significance', () => {
    const verdict = errorRate(counts(2, 600), counts(3, 150), FINAL_LOOK);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.reason).toMatch(/: beyond max 1\.00% but only \d+\.\d\d% sure by exact binomial test \(needed 99\.\d\d%\)$/);
  });

  it('judges the absolute max without a before window; the increase not judged leaves it inconclusive, not passed', () => {
    const unproven = errorRate({ noData: 'staging has no probes' }, counts(1, 600));
    expect(unproven).toMatchObject({ status: 'inconclusive', before: { samples: 0 } });
    expect(unproven.reason).toMatch(/^error-rate: 0\.17% after \(1\/600\): within max 1\.00% .*; before \+ 0\.50% not judged: no data before \(staging has no probes\)$/);
    expect(errorRate({ noData: 'staging has no probes' }, counts(15, 150)).status).toBe('fail');
    expect(errorRate(counts(0, 10), counts(1, 600)).reason).toMatch(/; before \+ 0\.50% not judged: 10 samples before \(needs 20\)$/);
  });

  it('is no data when nothing was measured after the deploy', () => {
    expect(errorRate(counts(2, 600), { noData: 'probes: connection refused' })).toMatchObject({ status: 'no-data', reason: 'error-rate: no data after the deploy (probes: connection refused)' });
    expect(errorRate(counts(2, 600), counts(0, 0)).status).toBe('no-data');
    expect(errorRate(counts(2, 600), counts(Number.NaN, 600)).reason).toBe('error-rate: no data after the deploy (invalid counts: NaN of 600)');
    expect(errorRate(counts(2, 600), counts(7, 6)).status).toBe('no-data');
  });
});

describe('a fail needs the figure beyond the limit and a significant test', () => {
  const look = { confidence: 0.98, minSamples: 20, fraction: 1, previousFraction: 0.95 };
  const latency = (before: number[], after: number[]) =>
    judgeMetric({ name: 'latency-p95', source: 'probes', unit: 'ms', limit: { kind: 'max-ratio', ratio: 1.5 }, look, before: { kind: 'values', values: before }, after: { kind: 'values', values: after } });
  /** 94 answers at `typical` ms and 6 spikes at 400 ms: the p95 is a spike either way. */
  const spiky = (typical: number) => [...Array.from({ length: 94 }, (_, i) => typical + (i % 7) * 0.1), ...Array.from({ length: 6 }, () => 400)];

  it('a significant shift whose p95 stays within the limit is inconclusive, said as such', () => {
    const verdict = latency(spiky(12), spiky(30));
    expect(verdict.pValue).toBeLessThan(verdict.alpha!);
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.reason).toMatch(/shifted beyond the limit, .* sure by Mann-Whitney U .*, but the p95 is within it$/);
  });
});

describe('a first deployment', () => {
  it('lets an error rate within max pass without a baseline; otherwise the unjudged increase holds it at inconclusive', () => {
    const judge = (firstDeployment: boolean) =>
      judgeMetric({
        name: 'error-rate',
        source: 'probes',
        unit: 'ratio',
        limit: { kind: 'rate', max: 0.01, maxIncrease: 0.005 },
        look: { confidence: 0.98, minSamples: 20, fraction: 1, previousFraction: 0.9, firstDeployment },
        before: { noData: 'no baseline probe samples' },
        after: { kind: 'counts', events: 0, total: 400 },
      }).status;
    expect(judge(true)).toBe('pass');
    expect(judge(false)).toBe('inconclusive');
  });
});

describe('boundaries', () => {
  const look = { confidence: 0.98, minSamples: 20, fraction: 1, previousFraction: 0.95 };
  const rate = (events: number, total: number, before = { kind: 'counts' as const, events: 0, total: 1000 }) =>
    judgeMetric({ name: 'error-rate', source: 'probes', unit: 'ratio', limit: { kind: 'rate', max: 0.01, maxIncrease: 0.05 }, look, before, after: { kind: 'counts', events, total } });
  const values = (before: number[], after: number[]) =>
    judgeMetric({ name: 'latency-p95', source: 'probes', unit: 'ms', limit: { kind: 'max-ratio', ratio: 1.5 }, look, before: { kind: 'values', values: before }, after: { kind: 'values', values: after } });
  const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

  it('an after rate exactly at max is within it', () => {
    expect(rate(1, 100).status).toBe('pass');
  });

  it('one sample short of min-samples is too few, on either side', () => {
    expect(rate(0, 19)).toMatchObject({ status: 'inconclusive', test: 'none' });
    expect(rate(0, 400, { kind: 'counts', events: 0, total: 19 }).reason).toContain('not judged: 19 samples before (needs 20)');
    expect(values(range(1, 19), range(1, 40)).status).toBe('inconclusive');
  });

  it('shows the nearest-rank p95, and a p95 exactly at the ratio is within the limit', () => {
    expect(values(range(1, 20), range(1, 20)).before.value).toBe(19);
    const verdict = values([...Array.from({ length: 19 }, () => 10), 100], [...Array.from({ length: 19 }, () => 15), 150]);
    expect(verdict.after.value! / verdict.before.value!).toBe(1.5);
    expect(verdict.status).toBe('pass');
  });
});
