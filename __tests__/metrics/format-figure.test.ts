import { describe, expect, it } from 'vitest';
import { formatFigure, NOT_MEASURED } from '../../src/metrics/format-figure.js';

describe('formatFigure', () => {
  it('reads each unit as the reports show it', () => {
    expect(formatFigure(0.003, 'ratio')).toBe('0.30%');
    expect(formatFigure(45.4, 'ms')).toBe('45ms');
    expect(formatFigure(1500, 'ms')).toBe('1.5s');
    expect(formatFigure(0.43, 'ms')).toBe('0.4ms');
    expect(formatFigure(120, 'rps')).toBe('120.0 req/s');
    expect(formatFigure(1.5 * 1024 * 1024, 'bytes')).toBe('1.5 MiB');
    expect(formatFigure(35, 'percent')).toBe('35.0%');
    expect(formatFigure(0.012345, 'value')).toBe('0.0123');
    expect(formatFigure(1234567, 'value')).toBe('1230000');
  });

  it('never shows a figure that was not measured', () => {
    expect(formatFigure(undefined, 'ms')).toBe(NOT_MEASURED);
    expect(formatFigure(Number.NaN, 'ratio')).toBe(NOT_MEASURED);
  });
});
