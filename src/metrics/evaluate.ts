// The one judge of the verify window: pure functions from measured figures and limits to a phase and anomalies.
// Sources measure, stages act on the verdict; nothing here does I/O.
import type { VerifyConfig } from '../config/types.js';
import type { Anomaly, MetricComparison, Verdict, WindowStats } from './types.js';

/**
 * Below this p95 latency, differences are timer and scheduler noise (a loopback answer in 0.4 ms vs 0.9 ms is not a
 * regression), so both sides of the latency ratio are raised to it.
 */
export const LATENCY_NOISE_FLOOR_MS = 10;

export type EvaluationLimits = VerifyConfig['errorRate'] & {
  maxLatencyRatio: number;
  /** Default LATENCY_NOISE_FLOOR_MS. */
  latencyFloorMs?: number;
};

export interface WindowEvaluation {
  before: WindowStats;
  after: WindowStats;
  limits: EvaluationLimits;
  /** Samples the whole post-deploy window will hold; lets an error spike be judged certain before the window ends. */
  expectedAfterSamples: number;
  /** The post-deploy window has ended (or was cut short for good). */
  complete: boolean;
}

const NOT_SAMPLED = {
  status: 'not-measured',
  notMeasured: 'no probe samples after the deploy',
  detail: 'not measured',
} as const;

// Floating-point sums like 0.02 - 0.01 must not cross a limit they only touch.
const EPSILON = 1e-12;

/**
 * failed: an anomaly that is certain (no remaining sample can undo it) or found in the complete window.
 * successful: the complete window has samples and no anomaly. inconclusive: anything else, including no samples.
 * Latency (a warning) only becomes certain at completion; it still fails the window then, which means a rollback.
 */
export function evaluateWindow(input: WindowEvaluation): Verdict {
  const { before, after, limits, complete } = input;
  if (after.samples === 0) return { phase: 'inconclusive', anomalies: [], certain: false };
  const latency = latencyAnomaly(before, after, limits);
  const anomalies = [...errorRateAnomalies(before, after, limits), ...(latency ? [latency] : [])];
  const certain = complete
    ? anomalies.length > 0
    : errorSpikeIsCertain(before, after, limits, input.expectedAfterSamples);
  if (anomalies.length > 0 && (certain || complete)) return { phase: 'failed', anomalies, certain };
  if (complete) return { phase: 'successful', anomalies: [], certain: false };
  return { phase: 'inconclusive', anomalies, certain: false };
}

/** Error rate and p95 latency judged against the limits; throughput, memory and CPU from a metrics source, if any. */
export function compareMetrics(
  before: WindowStats,
  after: WindowStats,
  limits: EvaluationLimits,
): MetricComparison[] {
  return [
    compareErrorRate(before, after, limits),
    compareLatency(before, after, limits),
    notSourced('throughput', 'rps'),
    notSourced('memory', 'bytes'),
    notSourced('cpu', 'percent'),
  ];
}

function errorRateAnomalies(before: WindowStats, after: WindowStats, limits: EvaluationLimits): Anomaly[] {
  const anomalies: Anomaly[] = [];
  if (after.errorRate === undefined) return anomalies;
  if (after.errorRate > limits.max + EPSILON) {
    anomalies.push({
      type: 'error-spike',
      severity: 'critical',
      detail:
        `error rate ${percent(after.errorRate)} after the deploy (${after.errors} of ${after.samples} probes failed) ` +
        `exceeds verify.error-rate.max ${percent(limits.max)}`,
    });
  }
  if (before.errorRate !== undefined && after.errorRate - before.errorRate > limits.maxIncrease + EPSILON) {
    anomalies.push({
      type: 'error-spike',
      severity: 'critical',
      detail:
        `error rate rose from ${percent(before.errorRate)} to ${percent(after.errorRate)} ` +
        `(+${percent(after.errorRate - before.errorRate)}), ` +
        `more than verify.error-rate.max-increase ${percent(limits.maxIncrease)}`,
    });
  }
  return anomalies;
}

/** Even if every remaining sample succeeds, the final error rate will still cross a limit. */
function errorSpikeIsCertain(
  before: WindowStats,
  after: WindowStats,
  limits: EvaluationLimits,
  expectedAfterSamples: number,
): boolean {
  const expected = Math.max(expectedAfterSamples, after.samples);
  if (expected === 0) return false;
  const lowestFinalRate = after.errors / expected;
  if (lowestFinalRate > limits.max + EPSILON) return true;
  return before.errorRate !== undefined && lowestFinalRate - before.errorRate > limits.maxIncrease + EPSILON;
}

function latencyAnomaly(before: WindowStats, after: WindowStats, limits: EvaluationLimits): Anomaly | undefined {
  const ratio = latencyRatio(before, after, limits);
  if (ratio === undefined || ratio <= limits.maxLatencyRatio + EPSILON) return undefined;
  return {
    type: 'latency-increase',
    severity: 'warning',
    detail:
      `latency p95 ${ms(after.latencyP95Ms)} after vs ${ms(before.latencyP95Ms)} before (×${ratio.toFixed(2)}) ` +
      `exceeds verify.latency-p95.max-ratio ×${limits.maxLatencyRatio}`,
  };
}

function latencyRatio(before: WindowStats, after: WindowStats, limits: EvaluationLimits): number | undefined {
  if (before.latencyP95Ms === undefined || after.latencyP95Ms === undefined) return undefined;
  const floor = limits.latencyFloorMs ?? LATENCY_NOISE_FLOOR_MS;
  return Math.max(after.latencyP95Ms, floor) / Math.max(before.latencyP95Ms, floor, Number.MIN_VALUE);
}

function compareErrorRate(before: WindowStats, after: WindowStats, limits: EvaluationLimits): MetricComparison {
  const base = { name: 'error-rate', unit: 'ratio', ...figures(before.errorRate, after.errorRate) } as const;
  if (after.errorRate === undefined) {
    return { ...base, ...NOT_SAMPLED };
  }
  const anomalies = errorRateAnomalies(before, after, limits);
  const delta =
    before.errorRate === undefined ? '' : ` (Δ ${signed(after.errorRate - before.errorRate, percent)})`;
  const baseline = before.errorRate === undefined ? 'no baseline' : percent(before.errorRate);
  const shown = `${baseline} → ${percent(after.errorRate)}${delta}`;
  return anomalies.length > 0
    ? { ...base, status: 'anomaly', detail: anomalies.map((anomaly) => anomaly.detail).join('; ') }
    : {
        ...base,
        status: 'ok',
        detail: `${shown}; max ${percent(limits.max)}, max increase ${percent(limits.maxIncrease)}`,
      };
}

function compareLatency(before: WindowStats, after: WindowStats, limits: EvaluationLimits): MetricComparison {
  const base = { name: 'latency-p95', unit: 'ms', ...figures(before.latencyP95Ms, after.latencyP95Ms) } as const;
  if (after.latencyP95Ms === undefined) {
    return { ...base, ...NOT_SAMPLED };
  }
  const anomaly = latencyAnomaly(before, after, limits);
  if (anomaly) return { ...base, status: 'anomaly', detail: anomaly.detail };
  const ratio = latencyRatio(before, after, limits);
  const shown = ratio === undefined
    ? `no baseline → ${ms(after.latencyP95Ms)}`
    : `${ms(before.latencyP95Ms)} → ${ms(after.latencyP95Ms)} (×${ratio.toFixed(2)})`;
  return { ...base, status: 'ok', detail: `${shown}; max ratio ×${limits.maxLatencyRatio}` };
}

function notSourced(name: MetricComparison['name'], unit: MetricComparison['unit']): MetricComparison {
  return { name, unit, status: 'not-measured', notMeasured: 'no metrics source configured', detail: 'not measured' };
}

/** Absent figures stay absent keys: a report must not show a figure that was never measured. */
function figures(before: number | undefined, after: number | undefined): { before?: number; after?: number } {
  return { ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
}

function percent(rate: number): string {
  return `${Number((rate * 100).toFixed(2))}%`;
}

function ms(value: number | undefined): string {
  return value === undefined ? '?' : `${Math.round(value)}ms`;
}

function signed(value: number, format: (value: number) => string): string {
  return value < 0 ? `-${format(-value)}` : `+${format(value)}`;
}
