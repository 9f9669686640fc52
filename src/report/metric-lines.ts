// How verification figures read: the five metrics of the seed in a fixed order, then any other configured metric,
// each with its before/after figures, sample counts, the test, the confidence reached and the one-line reason. A
// metric the verify stage did not judge is shown as "not measured", never dropped or zeroed.
import { formatFigure, NOT_MEASURED } from '../metrics/format-figure.js';
import type { MetricStatus, MetricVerdict } from '../metrics/verdict.js';

const SEED_METRICS: { name: string; label: string }[] = [
  { name: 'error-rate', label: 'Error rate' },
  { name: 'latency-p95', label: 'Latency p95' },
  { name: 'throughput', label: 'Throughput' },
  { name: 'memory', label: 'Memory' },
  { name: 'cpu', label: 'CPU' },
];

export interface MetricLine {
  label: string;
  /** probes, prometheus, command; "—" when not measured. */
  source: string;
  /** Figure and sample count: "0.3% (n=600)". */
  before: string;
  after: string;
  /** "7ms → 8ms" (no sample counts), or the status in words when there is nothing to show. */
  figures: string;
  delta: string;
  status: MetricStatus | 'not-measured';
  /** "Mann-Whitney U", "exact binomial", "—". */
  test: string;
  /** "99.2% (needed 98.0%)", "—". */
  confidence: string;
  limit: string;
  /** The judge's one-line reason, or why it was not measured. */
  detail: string;
}

const TEST_NAMES: Record<MetricVerdict['test'], string> = { 'mann-whitney-u': 'Mann-Whitney U', 'binomial-exact': 'exact binomial', none: '—' };

/**
 * The seed's five metrics in order (unjudged ones read "not measured"), then the rest in the stage's order. A seed
 * metric measured twice (by the probes and by Prometheus) is shown twice, the second labelled with its source.
 */
export function describeMetrics(metrics: readonly MetricVerdict[]): MetricLine[] {
  const shown = new Set<MetricVerdict>();
  const seed = SEED_METRICS.map(({ name, label }) => {
    const m = metrics.find((candidate) => candidate.name === name);
    if (!m) return notMeasured(label);
    shown.add(m);
    return describe(m, label);
  });
  const others = metrics
    .filter((m) => !shown.has(m))
    .map((m) => {
      const seedLabel = SEED_METRICS.find(({ name }) => name === m.name)?.label;
      return describe(m, seedLabel ? `${seedLabel} (${m.source})` : m.name);
    });
  return [...seed, ...others];
}

function describe(m: MetricVerdict, label: string): MetricLine {
  const side = (s: MetricVerdict['before']) => (s.value === undefined ? NOT_MEASURED : `${formatFigure(s.value, m.unit)} (n=${s.samples})`);
  return {
    label,
    source: m.source,
    before: side(m.before),
    after: side(m.after),
    figures: `${formatFigure(m.before.value, m.unit)} → ${formatFigure(m.after.value, m.unit)}`,
    delta: formatMetricDelta(m),
    status: m.status,
    test: TEST_NAMES[m.test],
    confidence:
      m.confidenceReached === undefined ? '—' : `${percent(m.confidenceReached)}${m.alpha === undefined ? '' : ` (needed ${percent(1 - m.alpha)})`}`,
    limit: m.limit,
    detail: m.reason,
  };
}

function notMeasured(label: string): MetricLine {
  return { label, source: '—', before: NOT_MEASURED, after: NOT_MEASURED, figures: NOT_MEASURED, delta: '—', status: 'not-measured', test: '—', confidence: '—', limit: '—', detail: 'no source measures it (see verify.metrics)' };
}

/** Error rate in percentage points; other metrics as a relative change. "—" when either side is missing. */
function formatMetricDelta(m: Pick<MetricVerdict, 'unit' | 'before' | 'after'>): string {
  const before = m.before.value;
  const after = m.after.value;
  if (before === undefined || after === undefined || !Number.isFinite(before) || !Number.isFinite(after)) return '—';
  const diff = after - before;
  if (m.unit === 'ratio') return `${signed(diff * 100, 2)} pp`;
  if (before > 0) return `${signed((diff / before) * 100, 1)}%`;
  return diff === 0 ? '±0' : `${diff > 0 ? '+' : '-'}${formatFigure(Math.abs(diff), m.unit)}`;
}

/** "98.0%", "99.84%"; never rounds up to a certainty it does not have. */
function percent(share: number): string {
  if (share >= 0.9999) return '≥ 99.99%';
  return `${(share * 100).toFixed(share >= 0.99 ? 2 : 1)}%`;
}

function signed(value: number, digits: number): string {
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return `±${text}`;
  return `${value > 0 ? '+' : '-'}${text}`;
}
