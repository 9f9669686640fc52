// Run ids name reports, snapshots and stored builds: two runs started in the same millisecond must not share one.
import { expect, test } from 'vitest';
import { newRunId } from '../../src/engine/run-id.js';

test('two runs started at the same instant get different ids, both led by the prefix and the time', () => {
  const now = new Date('2026-11-30T14:47:38.126Z');
  const ids = new Set(Array.from({ length: 50 }, () => newRunId('web-1.0.0', now)));
  expect(ids.size).toBe(50);
  for (const id of ids) expect(id).toMatch(/^web-1\.0\.0-20261130T144738\.126Z-[0-9a-f]{6}$/);
});
