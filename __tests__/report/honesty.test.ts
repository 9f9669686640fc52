// The honesty rules every report obeys, checked across all renderers: the manual rollback command comes first,
// a stage that did not run says so and why, an unmeasured figure says "not measured", and a failed rollback is
// never reported as a success or a completed rollback.
import { describe, expect, test } from 'vitest';
import type { Deployment } from '../../src/engine/model.js';
import { renderJsonReport } from '../../src/report/json-report.js';
import { renderSummary } from '../../src/report/summary.js';
import { renderTerminalSummary } from '../../src/report/terminal.js';
import { recorded, SCENARIO_NAMES, SCENARIOS } from '../fixtures/deployments/scenarios.js';
import { replayDeployment } from './replay.js';
import { VirtualScreen } from './virtual-screen.js';
import { createTerminalObserver } from '../../src/report/terminal.js';

/** The command the recorded failed rollback gives for rolling back by hand. */
const MANUAL_COMMAND = recorded('rollback-failed').manualRollback!;

/** Every report a deployment produces, by surface. */
const REPORTS: Record<string, (d: Deployment) => string> = {
  summary: renderSummary,
  'terminal summary (TTY)': (d) => renderTerminalSummary(d, { tty: true, color: false, width: 80 }),
  'terminal summary (plain)': (d) => renderTerminalSummary(d, { tty: false, color: false }),
  'json report': renderJsonReport,
};
const REPORT_NAMES = Object.keys(REPORTS);

function firstLine(text: string): string {
  // JSON's first line is `{`; its first key is the first thing it says.
  const lines = text.split('\n');
  return lines[0] === '{' ? lines[1]! : lines[0]!;
}

describe('when the rollback failed', () => {
  test.each(REPORT_NAMES)('the first line of the %s says so and gives the exact command', (name) => {
    const line = firstLine(REPORTS[name]!(recorded('rollback-failed')));
    expect(line).toContain('ROLLBACK FAILED');
    expect(line).toContain(MANUAL_COMMAND);
  });

  test.each(REPORT_NAMES)('the %s never reports success or a completed rollback', (name) => {
    const text = REPORTS[name]!(recorded('rollback-failed'));
    expect(text).not.toMatch(/SUCCESS|ROLLED BACK/);
    expect(text).not.toMatch(/Rollback Available:\**\s*Yes/);
  });

  test('the command is the one in the model, even with shell-quoted arguments', () => {
    const d = recorded('rollback-failed');
    d.manualRollback = "npx meta-deploy rollback --config 'my config.yml' --environment production --to '1.2.2|`x`'";
    for (const name of REPORT_NAMES) {
      const line = firstLine(REPORTS[name]!(d));
      if (name === 'json report') expect(JSON.parse(`{${line.replace(/,$/, '')}}`).alert).toContain(d.manualRollback);
      else if (name.startsWith('terminal')) expect(line).toContain(d.manualRollback);
      // Markdown: inside a code span long enough for the backticks it holds.
      else expect(line).toContain(`\`\`${d.manualRollback}\`\``);
    }
  });

  test("staging's rollback failed: every report gives the command first, and none says production may run the broken release", () => {
    const d = recorded('staging-rollback-failed');
    expect(d.manualRollback).toContain('--environment staging');
    for (const name of REPORT_NAMES) {
      const text = REPORTS[name]!(d);
      expect(firstLine(text)).toContain(d.manualRollback);
      expect(text, name).not.toMatch(/production may be running|unknown — the rollback failed/);
    }
    expect(renderSummary(d)).toContain("- Current: 1.0.0 — 1.1.0 was not deployed to production (staging's rollback failed: staging may still run 1.1.0)");
  });

  test("production's rollback failed before any stage ran (a killed run's recovery): no report blames staging", () => {
    const d = recorded('validate-failure');
    d.manualRollback = 'npx meta-deploy rollback --environment production --to 1.0.0';
    d.manualRollbackEnvironment = 'production';
    for (const name of REPORT_NAMES) expect(REPORTS[name]!(d), name).not.toMatch(/staging's|Staging's/);
    expect(renderSummary(d)).toContain('production may be running a broken release');
  });

  test('the live terminal prints the command first in its closing summary', () => {
    const screen = new VirtualScreen();
    replayDeployment(createTerminalObserver(screen.stream(), { tty: false, color: false }), recorded('rollback-failed'));
    // The closing summary starts after a blank line, with the command before its table.
    expect(screen.raw).toContain(`rollback.sh exit 1\n\n✗ ROLLBACK FAILED — roll back by hand: ${MANUAL_COMMAND}\n\nDeployment Summary\n`);
  });
});

describe('a stage that did not run', () => {
  const cases = SCENARIO_NAMES.flatMap((scenario) => {
    const d = SCENARIOS[scenario]();
    return Object.values(d.stages)
      .filter((stage) => stage.status === 'not-run' && d.result !== undefined)
      .map((stage) => [scenario, stage.id, stage.notes] as const);
  });

  test.each(cases)('%s: %s reads "not run" with the reason, in every report', (scenario, stage, notes) => {
    const d = SCENARIOS[scenario]();
    const name = { validate: 'Validation', build: 'Build', staging: 'Staging', production: 'Production', verify: 'Verification', finalize: 'Finalize' }[stage];
    expect(renderSummary(d)).toContain(`| ${name} | ⏹️ not run | — | ${notes} |`);
    expect(renderTerminalSummary(d, { tty: false, color: false })).toMatch(new RegExp(`^${name}\\s+○ not run\\s+—\\s+${notes}$`, 'm'));
    expect(JSON.parse(renderJsonReport(d)).stages[stage]).toEqual({ id: stage, status: 'not-run', notes, gates: [], steps: [] });
  });

  test('covers every scenario that stopped early', () => {
    expect(new Set(cases.map(([scenario]) => scenario))).toEqual(
      new Set(['staging-smoke-failure', 'production-health-rollback', 'rollback-failed', 'staging-rollback-failed', 'verify-anomaly-rollback', 'validate-failure', 'cancelled-in-verify']),
    );
  });
});

describe('a figure that was not measured', () => {
  /** Throughput measured by no source; memory from a source that answered before the deploy only; CPU measured. */
  function partlyMeasured(): Deployment {
    const d = recorded('success');
    const verify = d.stages.verify.data!;
    verify.metrics = [
      verify.metrics[0]!,
      verify.metrics[1]!,
      { name: 'memory', source: 'prometheus', unit: 'bytes', status: 'no-data', test: 'none', before: { samples: 10, value: 512 * 1024 ** 2 }, after: { samples: 0 }, limit: 'after ≤ before ×1.5', reason: 'prometheus: connection refused' },
      { name: 'cpu', source: 'prometheus', unit: 'percent', status: 'pass', test: 'mann-whitney-u', before: { samples: 10, value: 31.5 }, after: { samples: 10, value: 30.25 }, limit: 'after ≤ before ×1.5', pValue: 0.9, confidenceReached: 0.1, alpha: 0.004, reason: 'within limits' },
    ];
    return d;
  }

  test('reads "not measured" or "no data" in the summary, never zero', () => {
    const md = renderSummary(partlyMeasured());
    expect(md).toContain('| Throughput | — | not measured | not measured | — | — | — | — | — not measured | no source measures it (see verify.metrics) |');
    expect(md).toContain('| Memory | prometheus | 512 MiB (n=10) | not measured | — | — | — | after ≤ before ×1.5 | ⚠️ no data | prometheus: connection refused |');
    expect(md).toContain('| CPU | prometheus | 31.5% (n=10) | 30.3% (n=10) | -4.0% | Mann-Whitney U | 10.0% (needed 99.60%) | after ≤ before ×1.5 | ✅ pass | within limits |');
    expect(md).not.toMatch(/0\.0 req\/s|\| 0 B/);
  });

  test('reads "not measured" in the terminal box', () => {
    const screen = new VirtualScreen();
    replayDeployment(createTerminalObserver(screen.stream(), { tty: true, color: false, width: 80 }), partlyMeasured());
    const text = screen.text();
    expect(text).toMatch(/│ – Throughput\s+│/);
    expect(text).toMatch(/│ {3}not measured\s+│/);
    expect(text).toMatch(/│ ⚠ Memory\s+│/);
    expect(text).toMatch(/│ {3}no data\s+│/);
  });
});

describe('renderers read only the model', () => {
  test('a secret in the environment never appears in any report (masking is done before the model is filled)', () => {
    const secret = 's3cr3t-token-value-for-test';
    process.env.DEPLOY_TOKEN = secret;
    try {
      for (const scenario of SCENARIO_NAMES) {
        for (const name of REPORT_NAMES) expect(REPORTS[name]!(SCENARIOS[scenario]())).not.toContain(secret);
      }
    } finally {
      delete process.env.DEPLOY_TOKEN;
    }
  });

  test('masked values from the model are printed as they are', () => {
    const d = recorded('validate-failure');
    d.stages.validate.data!.tests[0]!.output = 'curl -H "Authorization: Bearer ***" https://api.example.com → 401';
    for (const name of ['summary', 'terminal summary (plain)']) expect(REPORTS[name]!(d)).toContain('Bearer ***');
  });

  test('rendering does not change the deployment', () => {
    for (const scenario of SCENARIO_NAMES) {
      const d = SCENARIOS[scenario]();
      const before = structuredClone(d);
      for (const name of REPORT_NAMES) REPORTS[name]!(d);
      expect(d).toEqual(before);
    }
  });
});

describe('a metric measured by two sources', () => {
  test('is shown twice in every report, the second labelled with its source: a failing verdict never disappears', () => {
    const d = recorded('success');
    const verify = d.stages.verify.data!;
    verify.metrics = [
      ...verify.metrics,
      { name: 'error-rate', source: 'prometheus', unit: 'ratio', status: 'fail', test: 'binomial-exact', before: { samples: 900, value: 0.001 }, after: { samples: 900, value: 0.05 }, limit: 'max 1.00%', pValue: 1e-9, confidenceReached: 1 - 1e-9, alpha: 0.002, reason: 'error-rate: 0.10% → 5.00%: above max 1.00%' },
    ];
    expect(renderSummary(d)).toMatch(/^\| Error rate \(prometheus\) \| prometheus \| 0\.10% \(n=900\) \| 5\.00% \(n=900\) \|.*❌ fail \| error-rate: 0\.10% → 5\.00%: above max 1\.00% \|$/m);
    const screen = new VirtualScreen();
    replayDeployment(createTerminalObserver(screen.stream(), { tty: true, color: false, width: 100 }), d);
    expect(screen.text()).toMatch(/✗ Error rate \(prometheus\)/);
  });
});
