// How verification figures read: the five metrics of the seed in a fixed order, each either a measured value or
// "not measured" with the reason the verify stage gave. A missing comparison is shown, never dropped or zeroed.
import type { MetricComparison } from '../metrics/types.js';
import { formatDuration, formatSize } from '../config/units.js';

export const NOT_MEASURED = 'not measured';

const METRICS: { name: MetricComparison['name']; label: string }[] = [
  { name: 'error-rate', label: 'Error rate' },
  { name: 'latency-p95', label: 'Latency p95' },
  { name: 'throughput', label: 'Throughput' },
  { name: 'memory', label: 'Memory' },
  { name: 'cpu', label: 'CPU' },
];

export interface MetricLine {
  label: string;
  before: string;
  after: string;
  delta: string;
  status: MetricComparison['status'];
  /** The stage's detail, or why it was not measured. */
  detail: string;
}

/** All five metrics, in the seed's order; ones the verify stage did not report at all read "not measured". */
export function describeMetrics(metrics: readonly MetricComparison[]): MetricLine[] {
  return METRICS.map(({ name, label }) => {
    const m = metrics.find((candidate) => candidate.name === name);
    if (!m) {
      return { label, before: NOT_MEASURED, after: NOT_MEASURED, delta: '—', status: 'not-measured', detail: 'not reported' };
    }
    return {
      label,
      before: formatMetricValue(m.before, m.unit),
      after: formatMetricValue(m.after, m.unit),
      delta: formatMetricDelta(m),
      status: m.status,
      detail: m.notMeasured ?? m.detail,
    };
  });
}

export function formatMetricValue(value: number | undefined, unit: MetricComparison['unit']): string {
  if (value === undefined || !Number.isFinite(value)) return NOT_MEASURED;
  switch (unit) {
    case 'ratio':
      return `${(value * 100).toFixed(2)}%`;
    case 'ms':
      return formatDuration(value);
    case 'rps':
      return `${value.toFixed(1)} req/s`;
    case 'bytes':
      return formatSize(value);
    case 'percent':
      return `${value.toFixed(1)}%`;
  }
}

/** Error rate in percentage points; other metrics as a relative change. "—" when either side is missing. */
export function formatMetricDelta(m: MetricComparison): string {
  const { before, after } = m;
  if (before === undefined || after === undefined || !Number.isFinite(before) || !Number.isFinite(after)) return '—';
  const diff = after - before;
  if (m.unit === 'ratio') return `${signed(diff * 100, 2)} pp`;
  if (before > 0) return `${signed((diff / before) * 100, 1)}%`;
  return diff === 0 ? '±0' : `${diff > 0 ? '+' : '-'}${formatMetricValue(Math.abs(diff), m.unit)}`;
}

function signed(value: number, digits: number): string {
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return `±${text}`;
  return `${value > 0 ? '+' : '-'}${text}`;
}
