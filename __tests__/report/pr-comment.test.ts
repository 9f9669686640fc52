import { describe, expect, test } from 'vitest';
import { STAGE_IDS } from '../../src/engine/model.js';
import type { Deployment, StageId } from '../../src/engine/model.js';
import { COMMENT_LIMIT, renderPrComment } from '../../src/report/pr-comment.js';
import { recorded, SCENARIO_NAMES, SCENARIOS } from '../fixtures/deployments/scenarios.js';

const RUN_URL = 'https://github.com/acme/shop/actions/runs/4242';
const MARKER = '<!-- meta-deploy:web -->';

function final(d: Deployment): string {
  return renderPrComment(d, { final: true, runUrl: RUN_URL, marker: MARKER });
}

function progress(d: Deployment): string {
  return renderPrComment(d, { final: false, runUrl: RUN_URL, marker: MARKER });
}

/** The recorded deployment as the engine held it when `stage` had just finished: later stages as newDeployment made
 *  them, no snapshot before production, no result unless that stage failed, no run duration. */
function asAfter(d: Deployment, stage: StageId): Deployment {
  const later = STAGE_IDS.slice(STAGE_IDS.indexOf(stage) + 1);
  for (const id of later) Object.assign(d.stages, { [id]: { id, status: 'not-run', notes: '', gates: [], steps: [] } });
  if (later.includes('production')) delete d.snapshotId;
  if (d.failedStage !== stage) {
    delete d.result;
    delete d.failedStage;
    delete d.reason;
  }
  delete d.durationMs;
  delete d.reportFile;
  return d;
}

/** Fences open and close in pairs, and every <details> is closed, outside any fence. */
function expectBalanced(markdown: string): void {
  let fence: string | undefined;
  let details = 0;
  for (const line of markdown.split('\n')) {
    const ticks = /^(`{3,})/.exec(line)?.[1];
    if (fence === undefined && ticks) fence = ticks;
    else if (fence !== undefined && line === fence) fence = undefined;
    else if (fence === undefined) details += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
  }
  expect(fence, 'an unclosed fence').toBeUndefined();
  expect(details, 'unclosed <details>').toBe(0);
}

/** A debug output of `lines` lines of `width` characters, with a fence inside to be fenced around. */
function hugeOutput(lines: number, width: number): string {
  return ['```diff', ...Array.from({ length: lines }, (_, i) => `${i} ${'x'.repeat(width)}`), '```'].join('\n');
}

describe('renderPrComment, final', () => {
  test.each(SCENARIO_NAMES)('matches the reviewed snapshot: %s', async (name) => {
    await expect(final(SCENARIOS[name]())).toMatchFileSnapshot(`__snapshots__/pr-comment/${name}.md`);
  });

  test('starts with the hidden marker, then the result', () => {
    const lines = final(recorded('success')).split('\n');
    expect(lines[0]).toBe(MARKER);
    expect(lines[2]).toBe('## ✅ SUCCESS — web 1.1.0');
  });

  test('a rollback says ROLLED BACK first, with the reason, and folds the debug details', () => {
    const md = final(recorded('production-health-rollback'));
    const head = md.split('\n').slice(0, 5).join('\n');
    expect(head).toContain('## ↩️ ROLLED BACK — web 1.1.0');
    expect(head).toContain('**Reason (Production):** production health checks failed');
    expect(md).toContain('- Current: 1.0.0 — 1.1.0 was rolled back');
    expect(md).toMatch(/\*\*Debug details:\*\*\n\n<details>\n<summary>Production: /);
    expectBalanced(md);
  });

  test('a failed rollback puts the command to run by hand in the first line of the result', () => {
    const d = recorded('rollback-failed');
    const md = final(d);
    expect(md.split('\n')[2]).toContain(d.manualRollback);
    expect(md).not.toMatch(/SUCCESS|ROLLED BACK/);
  });

  test('links the full report: the job summary, on the run page', () => {
    expect(final(recorded('success'))).toMatch(/Full report: the \[job summary\]\(https:\/\/github\.com\/acme\/shop\/actions\/runs\/4242\)\.\n$/);
  });

  test('shows what GitHub did: deployment links and states, approvers (never @-mentioned), the release, the alert issue', async () => {
    const d = recorded('production-health-rollback');
    d.stages.validate.data!.review.approvals = {
      required: 2,
      approved: 2,
      approvers: ['alice', 'bob_the_builder'],
      changesRequestedBy: [],
      pullRequest: { number: 12, url: 'https://github.com/acme/shop/pull/12' },
      status: 'passed',
      detail: '2 approving reviews',
    };
    d.github = {
      repository: 'acme/shop',
      runUrl: RUN_URL,
      deployments: [
        { environment: 'staging', id: 101, state: 'success', url: 'https://github.com/acme/shop/deployments/staging' },
        { environment: 'production', id: 102, state: 'failure', url: 'https://github.com/acme/shop/deployments/production' },
      ],
      comment: { url: 'https://github.com/acme/shop/pull/12#issuecomment-1', pullRequest: 12, edits: 4 },
      alertIssue: { url: 'https://github.com/acme/shop/issues/45', number: 45, action: 'opened' },
      apiCalls: 17,
    };
    const md = final(d);
    await expect(md).toMatchFileSnapshot('__snapshots__/pr-comment/production-health-rollback-with-github.md');
    expect(md).toContain('| production | [#102](https://github.com/acme/shop/deployments/production) | ❌ failure |');
    expect(md).toContain('- **Approved by:** alice, bob\\_the\\_builder on [#12](https://github.com/acme/shop/pull/12)');
    expect(md).toContain('- **Alert issue:** [#45](https://github.com/acme/shop/issues/45) opened');
    expect(md).not.toContain('@');
  });

  test('the release is linked', () => {
    const d = recorded('success');
    d.github = {
      repository: 'acme/shop',
      runUrl: RUN_URL,
      deployments: [],
      release: { tag: 'v1.1.0', url: 'https://github.com/acme/shop/releases/tag/v1.1.0', status: 'passed', detail: 'created' },
      apiCalls: 9,
    };
    expect(final(d)).toContain('**Release:** [v1.1.0](https://github.com/acme/shop/releases/tag/v1.1.0) — created');
  });
});

describe('renderPrComment, while the run goes on', () => {
  test.each(['validate', 'staging', 'production'] as const)('matches the reviewed snapshot after %s', async (stage) => {
    await expect(progress(asAfter(recorded('success'), stage))).toMatchFileSnapshot(`__snapshots__/pr-comment/success-after-${stage}.md`);
  });

  test('says the last stage done and the next to run, and shows the Deployment Summary so far', () => {
    const md = progress(asAfter(recorded('success'), 'staging'));
    expect(md.split('\n')[2]).toBe('## ⏳ Deploying web 1.1.0 — staging passed, production next');
    expect(md).toContain('| Staging | ✅ passed |');
    expect(md).toContain('| Production | 🕒 pending | — | — |');
    expect(md).toContain('**Deployment Result:** IN PROGRESS');
    expect(md).toContain('[Follow the run](https://github.com/acme/shop/actions/runs/4242)');
    expect(md).not.toContain('Debug details');
  });

  test('names the stage running when rendered during it', () => {
    const d = asAfter(recorded('success'), 'staging');
    d.stages.production.startedAt = '2026-11-26T13:00:00.455Z';
    expect(progress(d).split('\n')[2]).toBe('## ⏳ Deploying web 1.1.0 — production running');
  });

  test('skips what will not run: after staging of a staging-only run, finalize is next', () => {
    const d = asAfter(recorded('success'), 'staging');
    d.environments = ['staging'];
    expect(progress(d).split('\n')[2]).toBe('## ⏳ Deploying web 1.1.0 — staging passed, finalize next');
  });

  test('a stage that failed shows the result at once, before the final edit', () => {
    const md = progress(asAfter(recorded('production-health-rollback'), 'production'));
    expect(md.split('\n')[2]).toBe('## ↩️ ROLLED BACK — web 1.1.0');
  });
});

describe('renderPrComment, size', () => {
  test('a huge output is cut to fit GitHub’s limit: whole debug details go first, the cut is said and linked', () => {
    const d = recorded('validate-failure');
    const tests = d.stages.validate.data!.tests;
    tests[0]!.output = hugeOutput(60, 700);
    tests.push({ ...tests[0]!, name: 'integration', output: hugeOutput(60, 700) });
    tests.push({ ...tests[0]!, name: 'e2e', output: hugeOutput(60, 700) });
    const md = final(d);
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md).toContain('<summary>Validation: Tests › unit</summary>');
    expect(md).not.toContain('<summary>Validation: Tests › e2e</summary>');
    expect(md).toMatch(/\*\*Too long for a comment:\*\* 2 of 3 debug details left out; read them in the \[job summary\]\(https:\/\/github\.com\/acme\/shop\/actions\/runs\/4242\)\.\n$/);
    expect(md).toContain('| Validation | ❌ failed |');
    expectBalanced(md);
  });

  test('when even the result is too long, free text is shortened; the rollback command is kept whole', () => {
    const d = recorded('rollback-failed');
    d.reason = `${'<b>'.repeat(30_000)} end of reason`;
    d.stages.production.notes = 'n'.repeat(70_000);
    const md = final(d);
    expect(md.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(md.split('\n')[2]).toContain(d.manualRollback);
    expect(md).toContain('**Too long for a comment:** the debug details are left out and long notes shortened');
    expect(md).not.toContain('end of reason');
    expect(md).not.toContain('<b>');
    expectBalanced(md);
  });

  test('a body that fits is not cut', () => {
    const md = final(recorded('validate-failure'));
    expect(md).not.toContain('Too long');
    expect(md).toContain('<summary>Validation: Tests › unit</summary>');
  });
});
