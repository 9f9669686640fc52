import { describe, expect, it } from 'vitest';
import { compareMetrics, evaluateWindow, type EvaluationLimits } from '../../src/metrics/evaluate.js';
import type { Phase, WindowStats } from '../../src/metrics/types.js';

const limits: EvaluationLimits = { max: 0.05, maxIncrease: 0.02, maxLatencyRatio: 1.5 };

/** Window stats from counts; p50 is irrelevant to the verdict and set to the p95. */
function stats(samples: number, errors: number, latencyP95Ms?: number): WindowStats {
  if (samples === 0) return { samples: 0, errors: 0 };
  const p95 = latencyP95Ms ?? 50;
  return { samples, errors, errorRate: errors / samples, latencyP95Ms: p95, latencyP50Ms: p95 };
}

const NONE = { samples: 0, errors: 0 };

interface Row {
  title: string;
  before: WindowStats;
  after: WindowStats;
  expected?: number;
  complete: boolean;
  phase: Phase;
  certain: boolean;
  anomalies: string[];
}

// anomalies: "type/severity", in the order evaluateWindow reports them.
const rows: Row[] = [
  { title: 'a healthy complete window is successful', before: stats(100, 0, 50), after: stats(100, 1, 55), complete: true, phase: 'successful', certain: false, anomalies: [] },
  { title: 'a healthy window still running is inconclusive', before: stats(100, 0), after: stats(20, 0), complete: false, phase: 'inconclusive', certain: false, anomalies: [] },
  { title: 'a complete window without samples after the deploy is inconclusive', before: stats(100, 0), after: NONE, complete: true, phase: 'inconclusive', certain: false, anomalies: [] },
  { title: 'an error rate above max at completion fails', before: stats(100, 9), after: stats(100, 10), complete: true, phase: 'failed', certain: true, anomalies: ['error-spike/critical'] },
  { title: 'an error rate rising more than max-increase at completion fails', before: stats(100, 0), after: stats(100, 3), complete: true, phase: 'failed', certain: true, anomalies: ['error-spike/critical'] },
  { title: 'both error limits crossed give two critical anomalies', before: stats(100, 0), after: stats(100, 10), complete: true, phase: 'failed', certain: true, anomalies: ['error-spike/critical', 'error-spike/critical'] },
  { title: 'errors that exceed max even if every remaining sample succeeds fail early', before: stats(100, 4), after: stats(6, 6), expected: 100, complete: false, phase: 'failed', certain: true, anomalies: ['error-spike/critical', 'error-spike/critical'] },
  { title: 'errors that exceed max-increase even if every remaining sample succeeds fail early', before: stats(100, 0), after: stats(3, 3), expected: 100, complete: false, phase: 'failed', certain: true, anomalies: ['error-spike/critical', 'error-spike/critical'] },
  { title: 'early errors the remaining samples could still dilute are inconclusive', before: stats(100, 3), after: stats(4, 4), expected: 100, complete: false, phase: 'inconclusive', certain: false, anomalies: ['error-spike/critical', 'error-spike/critical'] },
  { title: 'a latency rise is never certain before completion', before: stats(100, 0, 100), after: stats(50, 0, 300), expected: 100, complete: false, phase: 'inconclusive', certain: false, anomalies: ['latency-increase/warning'] },
  { title: 'a latency rise above max-ratio at completion fails as a warning', before: stats(100, 0, 100), after: stats(100, 0, 151), complete: true, phase: 'failed', certain: true, anomalies: ['latency-increase/warning'] },
  { title: 'latency exactly at max-ratio passes', before: stats(100, 0, 100), after: stats(100, 0, 150), complete: true, phase: 'successful', certain: false, anomalies: [] },
  { title: 'an error rate exactly at max passes', before: stats(100, 5), after: stats(100, 5), complete: true, phase: 'successful', certain: false, anomalies: [] },
  { title: 'sub-millisecond latency noise is not a latency rise', before: stats(100, 0, 0.4), after: stats(100, 0, 3), complete: true, phase: 'successful', certain: false, anomalies: [] },
  { title: 'without a baseline only the absolute error limit applies', before: NONE, after: stats(100, 4, 900), complete: true, phase: 'successful', certain: false, anomalies: [] },
  { title: 'without a baseline an error rate above max still fails', before: NONE, after: stats(100, 6), complete: true, phase: 'failed', certain: true, anomalies: ['error-spike/critical'] },
];

describe('evaluateWindow', () => {
  it.each(rows)('$title', (row) => {
    const verdict = evaluateWindow({
      before: row.before,
      after: row.after,
      limits,
      expectedAfterSamples: row.expected ?? row.after.samples,
      complete: row.complete,
    });
    expect({
      phase: verdict.phase,
      certain: verdict.certain,
      anomalies: verdict.anomalies.map((anomaly) => `${anomaly.type}/${anomaly.severity}`),
    }).toEqual({ phase: row.phase, certain: row.certain, anomalies: row.anomalies });
  });

  it('names the limit crossed and the figures in each anomaly', () => {
    const verdict = evaluateWindow({
      before: stats(100, 0, 100),
      after: stats(100, 10, 200),
      limits,
      expectedAfterSamples: 100,
      complete: true,
    });
    expect(verdict.anomalies.map((anomaly) => anomaly.detail)).toEqual([
      'error rate 10% after the deploy (10 of 100 probes failed) exceeds verify.error-rate.max 5%',
      'error rate rose from 0% to 10% (+10%), more than verify.error-rate.max-increase 2%',
      'latency p95 200ms after vs 100ms before (×2.00) exceeds verify.latency-p95.max-ratio ×1.5',
    ]);
  });

  it('lets the caller lower the latency noise floor', () => {
    const verdict = evaluateWindow({
      before: stats(100, 0, 2),
      after: stats(100, 0, 8),
      limits: { ...limits, latencyFloorMs: 1 },
      expectedAfterSamples: 100,
      complete: true,
    });
    expect(verdict.phase).toBe('failed');
  });
});

describe('compareMetrics', () => {
  it('reports throughput, memory and CPU as not measured when no metrics source is configured', () => {
    const comparisons = compareMetrics(stats(100, 0, 40), stats(100, 1, 44), limits);

    expect(comparisons.map((comparison) => [comparison.name, comparison.status])).toEqual([
      ['error-rate', 'ok'],
      ['latency-p95', 'ok'],
      ['throughput', 'not-measured'],
      ['memory', 'not-measured'],
      ['cpu', 'not-measured'],
    ]);
    for (const comparison of comparisons.slice(2)) {
      expect(comparison).toEqual({
        name: comparison.name,
        unit: comparison.unit,
        status: 'not-measured',
        notMeasured: 'no metrics source configured',
        detail: 'not measured',
      });
    }
  });

  it('gives error rate and p95 latency before and after with their limits', () => {
    const [errorRate, latency] = compareMetrics(stats(100, 0, 40), stats(100, 1, 44), limits);

    expect(errorRate).toEqual({
      name: 'error-rate',
      unit: 'ratio',
      before: 0,
      after: 0.01,
      status: 'ok',
      detail: '0% → 1% (Δ +1%); max 5%, max increase 2%',
    });
    expect(latency).toEqual({
      name: 'latency-p95',
      unit: 'ms',
      before: 40,
      after: 44,
      status: 'ok',
      detail: '40ms → 44ms (×1.10); max ratio ×1.5',
    });
  });

  it('marks the figures that cross a limit as anomalies', () => {
    const [errorRate, latency] = compareMetrics(stats(100, 0, 40), stats(100, 10, 100), limits);
    expect(errorRate?.status).toBe('anomaly');
    expect(latency).toMatchObject({ status: 'anomaly', detail: expect.stringContaining('max-ratio ×1.5') });
  });

  it('leaves figures absent, never zero, when nothing was sampled after the deploy', () => {
    const [errorRate, latency] = compareMetrics(stats(100, 0), NONE, limits);
    expect(errorRate).toEqual({
      name: 'error-rate',
      unit: 'ratio',
      before: 0,
      status: 'not-measured',
      notMeasured: 'no probe samples after the deploy',
      detail: 'not measured',
    });
    expect(latency).not.toHaveProperty('after');
  });
});
