// The verdict corpus in small (`npm run bench` runs it in full): seeded simulated releases of noisy services judged
// look by look by the judge's TypeScript source. Good releases are never rolled back; the effect sizes are.
import { describe, expect, it } from 'vitest';
import { judgeMetric } from '../../src/metrics/judge.js';

interface Scenario {
  model: 'probes' | 'prometheus';
  label: string;
}
interface Result {
  releases: number;
  rolledBack: number;
  within3: number;
  medianLook?: number;
  reasons: string[];
}
// @ts-expect-error — a corpus script without type declarations
const corpus = await import('../../scripts/corpus/run-corpus.mjs');
const scenarios: Scenario[] = corpus.SCENARIOS;

function run(model: Scenario['model'], label: string, releases: number, seed = 7): Result {
  const scenario = scenarios.find((s) => s.model === model && s.label === label);
  if (!scenario) throw new Error(`no scenario ${model} ${label}`);
  return corpus.runScenario({ judgeMetric, scenario, releases, seed });
}

describe('verdict corpus (small)', () => {
  it('rolls back no good release, with probes at the default settings or with Prometheus at 50 req/s', () => {
    const probes = run('probes', 'good (no change)', 150);
    expect(probes.reasons).toEqual([]);
    expect(probes.rolledBack).toBe(0);
    expect(run('prometheus', 'good (no change)', 60).rolledBack).toBe(0);
  });

  it('catches an error rate at 10 % and a doubled latency with probes, in the first interval for most', () => {
    for (const label of ['error rate to 10 %', 'latency ×2']) {
      const result = run('probes', label, 50);
      expect(result.rolledBack, label).toBe(50);
      expect(result.medianLook, label).toBe(1);
    }
  });

  it('catches +1 point of errors and +50 % p95 through Prometheus within the window, most within 3 intervals', () => {
    const errors = run('prometheus', 'error rate +1 point', 50);
    expect(errors.rolledBack).toBe(50);
    expect(errors.within3).toBeGreaterThanOrEqual(45);
    const latency = run('prometheus', 'p95 +50 %, no traffic bursts', 30);
    expect(latency).toMatchObject({ rolledBack: 30, within3: 30 });
  });

  it('is reproducible: the same seed gives the same releases and verdicts', () => {
    expect(run('probes', 'error rate to 2 %', 20, 3)).toEqual(run('probes', 'error rate to 2 %', 20, 3));
  });
});
