import { describe, expect, test } from 'vitest';
import { formatDuration, formatSize, parseDuration, parseSize } from '../../src/config/units.js';

describe('parseDuration', () => {
  test.each([
    ['500ms', 500],
    ['300s', 300_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2m5s', 125_000],
    ['1s500ms', 1500],
    ['1.5s', 1500],
    ['0s', 0],
    ['90', 90_000],
    ['0.25', 250],
    [90, 90_000],
    [0.5, 500],
    [0, 0],
  ])('reads %j as %d ms', (input, expected) => {
    expect(parseDuration(input)).toBe(expected);
  });

  test.each([['fast'], ['-5s'], [-5], [''], ['5'.concat(' s')], ['5 m'], ['30m1h'], ['1h1h'], ['s'], ['5d'], ['1e3'], [Number.NaN], [Number.POSITIVE_INFINITY], ['5S']])(
    'rejects %j',
    (input) => {
      expect(parseDuration(input)).toBeUndefined();
    },
  );
});

describe('parseSize', () => {
  test.each([
    ['500MiB', 500 * 2 ** 20],
    ['2GB', 2e9],
    ['1GiB', 2 ** 30],
    ['10KB', 10_000],
    ['10kB', 10_000],
    ['10KiB', 10_240],
    ['512B', 512],
    ['512', 512],
    ['1.5 KiB', 1536],
    ['1TB', 1e12],
    [4096, 4096],
    [0, 0],
  ])('reads %j as %d bytes', (input, expected) => {
    expect(parseSize(input)).toBe(expected);
  });

  test.each([['huge'], ['-1MB'], [-1], [''], ['5 PiB'], ['MiB'], ['5mib'], ['5  MiB'], [Number.NaN]])('rejects %j', (input) => {
    expect(parseSize(input)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  test.each([
    [0, '0ms'],
    [850, '850ms'],
    [999.4, '999ms'],
    [1000, '1s'],
    [12_340, '12.3s'],
    [59_940, '59.9s'],
    [59_960, '1m 00s'],
    [245_000, '4m 05s'],
    [3_599_600, '1h 00m'],
    [3_720_000, '1h 02m'],
    [-5, '0ms'],
  ])('shows %d ms as %j', (input, expected) => {
    expect(formatDuration(input)).toBe(expected);
  });
});

describe('formatSize', () => {
  test.each([
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [1_258_291, '1.2 MiB'],
    [500 * 2 ** 20, '500 MiB'],
    [1024 * 1024 - 10, '1 MiB'],
    [3 * 2 ** 30, '3 GiB'],
    [2 ** 50, '1024 TiB'],
  ])('shows %d bytes as %j', (input, expected) => {
    expect(formatSize(input)).toBe(expected);
  });
});
