// Where the metrics' before window starts: one verify window before the deploy, but never inside an earlier run on
// production, whose release (rolled back a minute ago, say) must not become the baseline.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createRecordStore } from '../../src/engine/records.js';
import type { StageContext } from '../../src/engine/stage.js';
import { metricsBaselineFrom } from '../../src/stages/verify-baseline.js';

const WINDOW = 600_000;
const DEPLOY = Date.parse('2026-11-30T12:00:00Z');

async function contextWith(records: { target: string; environments: ('staging' | 'production')[]; startedAt: string; durationMs: number }[]) {
  const store = createRecordStore(join(await mkdtemp(join(tmpdir(), 'baseline-')), 'records.jsonl'));
  for (const [index, record] of records.entries()) {
    await store.append({ id: `run-${index}`, version: `1.${index}.0`, result: 'rolled-back', deployedTo: [], ...record });
  }
  return { records: store, plan: { target: 'web' }, deployment: { id: 'this-run' } } as unknown as StageContext;
}

test('without earlier runs the before window is the verify window before the deploy', async () => {
  expect(await metricsBaselineFrom(await contextWith([]), DEPLOY, WINDOW)).toBe(DEPLOY - WINDOW);
});

test('a production run that ended inside that window cuts it: its release is not the baseline', async () => {
  const ended = DEPLOY - 120_000;
  const context = await contextWith([
    { target: 'web', environments: ['staging', 'production'], startedAt: new Date(ended - 30_000).toISOString(), durationMs: 30_000 },
    // Other targets and staging-only runs did not change this production.
    { target: 'api', environments: ['production'], startedAt: new Date(DEPLOY - 60_000).toISOString(), durationMs: 10_000 },
    { target: 'web', environments: ['staging'], startedAt: new Date(DEPLOY - 50_000).toISOString(), durationMs: 10_000 },
  ]);
  expect(await metricsBaselineFrom(context, DEPLOY, WINDOW)).toBe(ended);
});

test('a run that ended before the window leaves it whole', async () => {
  const context = await contextWith([{ target: 'web', environments: ['production'], startedAt: new Date(DEPLOY - 3_600_000).toISOString(), durationMs: 60_000 }]);
  expect(await metricsBaselineFrom(context, DEPLOY, WINDOW)).toBe(DEPLOY - WINDOW);
});
