import { describe, expect, test } from 'vitest';
import type { Deployment } from '../../src/engine/model.js';
import { renderDebugDetails, renderSummary } from '../../src/report/summary.js';
import { recorded, SCENARIO_NAMES, SCENARIOS } from '../fixtures/deployments/scenarios.js';

/** Cells of a markdown table row, split on pipes that are not escaped. */
function cellsOf(row: string): string[] {
  return row.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/);
}

function tableAfter(markdown: string, header: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(header);
  expect(start, `table with header ${header}`).toBeGreaterThanOrEqual(0);
  const rows: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line);
  }
  return rows;
}

const SUMMARY_HEADER = '| Stage | Status | Duration | Notes |';

describe('renderSummary', () => {
  test.each(SCENARIO_NAMES)('matches the reviewed snapshot: %s', async (name) => {
    await expect(renderSummary(SCENARIOS[name]())).toMatchFileSnapshot(`__snapshots__/summary/${name}.md`);
  });

  test('opens with the result and the Deployment Summary table; the failure and the stage details come folded below', () => {
    const md = renderSummary(recorded('validate-failure'));
    const order = [
      '## ❌ FAILED',
      '## Deployment Summary',
      '**Deployment Result:** FAILED',
      '### Stage timings',
      '### Failure at Validation',
      '### Stage details',
      '<details>\n<summary>Stage 1: Pre-Deployment Validation — ❌ failed',
    ];
    const positions = order.map((heading) => md.indexOf(heading));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  test.each([
    ['success', 'SUCCESS', '## ✅ SUCCESS — web 1.1.0'],
    ['production-health-rollback', 'ROLLED BACK', '## ↩️ ROLLED BACK — web 1.1.0'],
    ['verify-anomaly-rollback', 'ROLLED BACK', '## ↩️ ROLLED BACK — web 1.1.0'],
    ['cancelled-in-verify', 'ROLLED BACK', '## ↩️ ROLLED BACK — web 1.1.0'],
    ['staging-smoke-failure', 'FAILED', '## ❌ FAILED — web 1.1.0'],
    ['validate-failure', 'FAILED', '## ❌ FAILED — web 1.1.0'],
    ['rollback-failed', 'FAILED', '## ❌ FAILED — default 1.1.0'],
  ] as const)('%s: opens with its result and states it again under the table', (name, result, heading) => {
    const md = renderSummary(SCENARIOS[name]());
    expect(md.split('\n')[0]).toMatch(new RegExp(`^${heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(md).toContain(`**Deployment Result:** ${result}`);
  });

  test('the Deployment Summary table has the seed columns and one row per stage, in pipeline order', () => {
    const rows = tableAfter(renderSummary(recorded('success')), SUMMARY_HEADER);
    expect(rows.map((r) => cellsOf(r)[0]!.trim())).toEqual(['Validation', 'Build', 'Staging', 'Production', 'Verification', 'Finalize']);
    for (const row of rows) expect(cellsOf(row)).toHaveLength(4);
  });

  test('a pipe, backticks, a newline and HTML in notes stay inside their cell', () => {
    const d: Deployment = recorded('success');
    d.stages.build.notes = 'exit 1 | `rm -rf` \n<script>alert(1)</script> ``` done';
    const md = renderSummary(d);
    const build = tableAfter(md, SUMMARY_HEADER).find((r) => r.startsWith('| Build'))!;
    expect(cellsOf(build)).toHaveLength(4);
    expect(build).not.toContain('<script>');
    expect(build).toContain('\\|');
    expect(build).toContain('\\`rm -rf\\`');
  });

  test('command output that contains a fence cannot close the fence around it', () => {
    const d = recorded('validate-failure');
    // A test runner that prints its diff as Markdown: the summary must then fence the output with four backticks.
    d.stages.validate.data!.tests[0]!.output += '\n```diff\n- total: 44\n+ total: 42\n```';
    const md = renderSummary(d);
    const start = md.indexOf('````text\n');
    expect(start).toBeGreaterThan(0);
    const end = md.indexOf('\n````\n', start);
    expect(md.slice(start, end)).toContain('```diff');
    expect(md.slice(end)).toMatch(/^\n````\n\n<\/details>/);
  });

  test('terminal colour codes in command output never reach the summary', () => {
    const d = recorded('validate-failure');
    d.stages.validate.data!.tests[0]!.output = '\u001b[31mFAIL\u001b[39m src/cart.test.ts\r\n';
    const md = renderSummary(d);
    expect(md).not.toContain('\u001b');
    expect(md).toContain('FAIL src/cart.test.ts');
  });

  test('a stage that did not run gets no section, only its row saying why', () => {
    const md = renderSummary(recorded('validate-failure'));
    expect(md).not.toContain('### Stage 2');
    expect(md).toContain('| Build | ⏹️ not run | — | not run: validate failed |');
  });

  test('test runs show their JUnit counts; a run without JUnit shows its exit detail', () => {
    const md = renderSummary(recorded('validate-failure'));
    expect(md).toMatch(/^\| Tests › unit \| ❌ fail \| 1 passed, 1 failed, 1 skipped · exit 1 · \d+ms \|$/m);
    expect(md).toMatch(/^\| Tests › syntax \| ✅ pass \| exit 0 · \d+ms \|$/m);
  });

  test('counts are shown even when the stage detail does not repeat them', () => {
    const d = recorded('success');
    d.stages.validate.data!.tests[0]!.detail = 'exit 0';
    expect(renderSummary(d)).toMatch(/^\| Tests › unit \| ✅ pass \| 2 passed, 0 failed, 1 skipped · exit 0 · \d+ms \|$/m);
  });

  test('review shows a score per category out of 10 and the approval state', () => {
    const d = recorded('success');
    expect(renderSummary(d)).toContain('| Review › Correctness | ✅ 10/10 |');
    expect(renderSummary(d)).toContain('| Review › Security | ✅ 10/10 |');
    // One of the two security checks failed; no performance check configured.
    const [correctness, security] = d.stages.validate.data!.review.categories;
    security!.checks.push({ ...correctness!.checks[0]!, name: 'audit', status: 'failed', detail: 'exit 1' });
    security!.score = 5;
    d.stages.validate.data!.review.categories[2]!.checks = [];
    delete d.stages.validate.data!.review.categories[2]!.score;
    const md = renderSummary(d);
    expect(md).toContain('| Review › Security | ❌ 5/10 |');
    expect(md).toContain('| Review › Performance | ⏭️ no checks | — |');
  });

  test('prerequisites are grouped by kind with a ✓/✗ per item', () => {
    const md = renderSummary(recorded('success'));
    expect(md).toMatch(/^\| Prerequisites › Dependencies \| ✅ 2\/2 \| ✓ node &gt;=20 — \S+ 24\.\d+\.\d+ satisfies &gt;=20<br>✓ git — found at \S+ \|$/m);
  });

  test('staging shows time elapsed against the timeout, as the seed does', () => {
    expect(renderSummary(SCENARIOS['staging-smoke-failure']())).toMatch(/\*\*Smoke tests\*\* — Time elapsed: [\d.]+s \/ 2s · 3 rounds · FAIL \(failure-threshold reached\)/);
    expect(renderSummary(recorded('success'))).toMatch(/Time elapsed: [\d.]+s \/ 2s/);
  });

  test('a poll that failed says why it stopped', () => {
    const d = recorded('production-health-rollback');
    expect(renderSummary(d)).toMatch(/\*\*Health checks\*\* — Time elapsed: [\d.]+m?s \/ 2s · 3 rounds · UNHEALTHY \(failure-threshold reached\)\n/);
    d.stages.production.data!.checks!.ended = 'timeout';
    expect(renderSummary(d)).toContain('UNHEALTHY (timed out)');
  });

  test('a first deployment says there is no snapshot to roll back to', () => {
    const d = recorded('success');
    const snapshot = d.stages.production.data!.snapshot!;
    delete snapshot.id;
    delete snapshot.version;
    delete snapshot.rollbackCommand;
    delete d.snapshotId;
    const md = renderSummary(d);
    expect(md).toContain('- Snapshot ID: none — first deployment, nothing to roll back to');
    expect(md).toContain('**Rollback Available:** No — first deployment to production: there is no earlier release to return to');
  });

  test('ends with a newline and never contains "undefined" or "NaN"', () => {
    for (const name of SCENARIO_NAMES) {
      const md = renderSummary(SCENARIOS[name]());
      expect(md.endsWith('\n')).toBe(true);
      expect(md).not.toMatch(/undefined|NaN/);
    }
  });
});

describe('the 1 MiB step-summary limit', () => {
  const MiB = 1024 * 1024;
  const bytes = (text: string): number => Buffer.byteLength(text);

  test('enormous command output: the summary stays under 1 MiB, keeps the table, and says what it cut', () => {
    const d = recorded('validate-failure');
    // One 3 MiB line and many long lines: the 60-line tail alone is far over the limit.
    d.stages.validate.data!.tests[0]!.output = `${'x'.repeat(3 * MiB)}\n${Array.from({ length: 200 }, (_, i) => `line ${i} ${'y'.repeat(20_000)}`).join('\n')}\nFAIL at the end\n`;
    const md = renderSummary(d);
    expect(bytes(md)).toBeLessThanOrEqual(MiB);
    expect(md).toContain(SUMMARY_HEADER);
    expect(md).toMatch(/shortened to stay under GitHub's 1 MiB step-summary limit: each command output was cut to its last 4 KiB/);
    expect(md).toContain('FAIL at the end');
    expect(md).toContain('### Stage details');
  });

  test('too many outputs even when cut: output is left out, then the stage details, each said', () => {
    const d = recorded('validate-failure');
    const run = d.stages.validate.data!.tests[0]!;
    d.stages.validate.data!.tests = Array.from({ length: 400 }, (_, i) => ({ ...run, name: `unit-${i}`, output: 'z'.repeat(8000) }));
    const md = renderSummary(d);
    expect(bytes(md)).toBeLessThanOrEqual(MiB);
    expect(md).toMatch(/step-summary limit: command output (was left out|and the stage details were left out)/);
    expect(md).toContain('Output: left out (7.8 KiB; see the run log or the JSON report).');
  });

  test('a summary whose unfolded part alone is too big is cut at a line, with no fence left open', () => {
    const d = recorded('validate-failure');
    d.notices = Array.from({ length: 30 }, (_, i) => `notice ${i} ${'n'.repeat(60_000)}`);
    const md = renderSummary(d);
    expect(bytes(md)).toBeLessThanOrEqual(MiB);
    expect(md).toMatch(/the rest was cut off/);
    expect((md.match(/^`{3,}/gm) ?? []).length % 2).toBe(0);
  });

  test('a summary under the limit is left whole', () => {
    const md = renderSummary(recorded('validate-failure'));
    expect(md).not.toContain('shortened');
    expect(renderSummary(recorded('validate-failure'), 2000)).toContain('shortened');
  });
});

describe('the uploaded artifact', () => {
  const withUpload = (upload: NonNullable<NonNullable<Deployment['stages']['build']['data']>['upload']>) => {
    const d = recorded('success');
    d.stages.build.data!.upload = upload;
    return d;
  };

  test('an upload to GitHub is linked by its name in the run facts', () => {
    const url = 'https://github.com/acme/shop/actions/runs/7/artifacts/42';
    const md = renderSummary(withUpload({ status: 'passed', name: 'shop-web-1.2.0', url, detail: 'uploaded (5 files, 1.2 KiB, sha256:abc)' }));
    expect(md).toContain(`**Artifacts:** [shop-web-1.2.0](${url}) — uploaded (5 files, 1.2 KiB, sha256:abc)`);
  });

  test('a failed upload is shown as a warning with its reason; the local store says where', () => {
    expect(renderSummary(withUpload({ status: 'warning', name: 'shop', detail: 'upload of shop failed: ECONNREFUSED' }))).toContain('**Artifacts:** ⚠ upload of shop failed: ECONNREFUSED');
    expect(renderSummary(withUpload({ status: 'passed', name: '/s/artifacts', detail: '4 files kept in the local artifact store: /s/artifacts/x*' }))).toContain('**Artifacts:** ✓ 4 files kept in the local artifact store: /s/artifacts/x\\*');
  });

  test('debug.md: the failure with its debug details whole; nothing for a successful run', () => {
    const failed = recorded('validate-failure');
    const debug = renderDebugDetails(failed)!;
    expect(debug.split('\n')[0]).toBe(`# ${failed.target} ${failed.version}: ${failed.result}`);
    expect(debug).toContain('### Failure at Validation');
    expect(debug).toContain(`**Failure reason:** `);
    expect(debug).toContain('**Debug details:**');
    expect(renderDebugDetails(recorded('success'))).toBeUndefined();
  });
});
