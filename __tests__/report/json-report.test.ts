import { describe, expect, test } from 'vitest';
import type { Deployment } from '../../src/engine/model.js';
import { renderJsonReport, toJsonReport } from '../../src/report/json-report.js';
import { recorded, SCENARIO_NAMES, SCENARIOS } from '../fixtures/deployments/scenarios.js';

/** The command the recorded failed rollback gives for rolling back by hand. */
const MANUAL_COMMAND = recorded('rollback-failed').manualRollback!;

/** The same value with every object's keys in reverse insertion order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]));
}

describe('renderJsonReport', () => {
  test.each(SCENARIO_NAMES)('matches the reviewed snapshot: %s', async (name) => {
    await expect(renderJsonReport(SCENARIOS[name]())).toMatchFileSnapshot(`__snapshots__/json-report/${name}.json`);
  });

  test('holds the whole model under schemaVersion 1', () => {
    for (const name of SCENARIO_NAMES) {
      const d = SCENARIOS[name]();
      const { schemaVersion, alert: _alert, ...model } = JSON.parse(renderJsonReport(d)) as Record<string, unknown>;
      expect(schemaVersion).toBe(1);
      expect(model).toEqual(JSON.parse(JSON.stringify(d)));
    }
  });

  test('key order follows the model, whatever order the stages assigned keys in', () => {
    const d = recorded('success');
    const shuffled = reverseKeys(d) as Deployment;
    expect(Object.keys(shuffled)[0]).toBe('reportFile');
    expect(renderJsonReport(shuffled)).toBe(renderJsonReport(d));
    expect(Object.keys(toJsonReport(shuffled)).slice(0, 4)).toEqual(['schemaVersion', 'id', 'target', 'version']);
    expect(Object.keys(toJsonReport(shuffled).stages as object)).toEqual(['validate', 'build', 'staging', 'production', 'verify', 'finalize']);
  });

  test('keeps a key the shapes do not know, after the known ones', () => {
    const d = recorded('success') as Deployment & { extra?: string };
    d.extra = 'kept';
    const keys = Object.keys(toJsonReport(d));
    expect(keys.at(-1)).toBe('extra');
  });

  test('a metric no source measures is absent, never zero', () => {
    const verify = (toJsonReport(recorded('success')).stages as Deployment['stages']).verify.data!;
    expect(verify.metrics.map((m) => m.name)).toEqual(['error-rate', 'latency-p95']);
  });

  test('when a rollback failed, the second line (the first key) says so with the exact command', () => {
    const lines = renderJsonReport(recorded('rollback-failed')).split('\n');
    expect(lines[1]).toBe(`  "alert": "ROLLBACK FAILED — roll back by hand: ${MANUAL_COMMAND}",`);
    expect(renderJsonReport(recorded('success'))).not.toContain('"alert"');
  });

  test('is pretty-printed with a trailing newline', () => {
    const text = renderJsonReport(recorded('success'));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
  });
});
