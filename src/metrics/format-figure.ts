// How one measured figure reads, by unit: 0.30% (a ratio), 45ms, 120.0 req/s, 1.2 MiB, 35.0% (CPU), or a plain
// number. Shared by the judge's reasons and the reports, so a figure reads the same everywhere.
import { formatDuration, formatSize } from '../config/units.js';
import type { MetricUnit } from './verdict.js';

export const NOT_MEASURED = 'not measured';

export function formatFigure(value: number | undefined, unit: MetricUnit): string {
  if (value === undefined || !Number.isFinite(value)) return NOT_MEASURED;
  switch (unit) {
    case 'ratio':
      return `${(value * 100).toFixed(2)}%`;
    case 'ms':
      // Loopback answers take fractions of a millisecond: "0.4ms", not "0ms".
      return value < 10 ? `${Number(value.toFixed(1))}ms` : formatDuration(value);
    case 'rps':
      return `${value.toFixed(1)} req/s`;
    case 'bytes':
      return formatSize(value);
    case 'percent':
      return `${value.toFixed(1)}%`;
    case 'value':
      return String(Number(value.toPrecision(3)));
  }
}
