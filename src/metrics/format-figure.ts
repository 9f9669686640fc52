// How a measured figure reads, by unit: the judge's reasons and every report use the same words.
import { formatDuration, formatSize } from '../config/units.js';
import type { MetricUnit } from './verdict.js';

export function formatFigure(value: number, unit: MetricUnit): string {
  switch (unit) {
    case 'ratio':
      return `${Number((value * 100).toFixed(2))}%`;
    case 'ms':
      return value < 10 ? `${Number(value.toFixed(1))}ms` : formatDuration(value);
    case 'rps':
      return `${value.toFixed(1)} req/s`;
    case 'bytes':
      return formatSize(value);
    case 'percent':
      return `${value.toFixed(1)}%`;
    case 'value':
      return String(Number(value.toPrecision(4)));
  }
}
