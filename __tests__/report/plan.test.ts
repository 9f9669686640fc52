import { describe, expect, test } from 'vitest';
import { renderPlan } from '../../src/report/plan.js';
import { recordedPlan } from '../fixtures/deployments/scenarios.js';

describe('renderPlan', () => {
  test.each([
    ['full'],
    ['staging-only'],
  ] as const)('matches the reviewed snapshot: %s', async (name) => {
    await expect(`${renderPlan(recordedPlan(name))}\n`).toMatchFileSnapshot(`__snapshots__/plan/${name}.txt`);
  });

  test('wraps the stages in @orchestration / @sequential[ … ] / @end', () => {
    const lines = renderPlan(recordedPlan('full')).split('\n');
    const start = lines.indexOf('@orchestration');
    expect(lines[start + 1]).toBe('  @sequential[');
    expect(lines.slice(-2)).toEqual(['  ]', '@end']);
  });

  test('states target, version with its source, environments and config file in the header', () => {
    const text = renderPlan(recordedPlan('staging-only'));
    expect(text).toContain('# target:       web');
    expect(text).toContain('# version:      1.3.0 (next version from the conventional commits since the latest tag; read from local git)');
    expect(text).toContain('# environments: staging');
    expect(text).toContain('# config:       /home/runner/work/shop/.github/meta-deploy.yml');
    expect(text).toContain('# dry run: nothing will be changed');
  });

  test('says where the version was read, with what that history lacks; a version given as input is just that', () => {
    const plan = { ...recordedPlan('staging-only'), versionFrom: 'GitHub API' as const, versionNotes: ['GitHub API: only the latest 250 of 300 commits since v1.2.3'] };
    const text = renderPlan(plan);
    expect(text).toContain('# version:      1.3.0 (next version from the conventional commits since the latest tag; read from GitHub API)\n# history:      GitHub API: only the latest 250 of 300 commits since v1.2.3\n');
    expect(renderPlan(recordedPlan('full'))).toContain('# version:      1.2.3 (given as input)\n');
  });

  test('shows parallel blocks, @run:now steps, timeouts in seconds, gates and failure handling', () => {
    const text = renderPlan(recordedPlan('full'));
    expect(text).toContain('    @parallel[\n      → /meta-test (unit)\n');
    expect(text).toContain('    @run:now → Deploy to staging environment (command: ./deploy.sh)');
    expect(text).toContain('    @timeout:300s @interval:5s @failure-threshold:3 @success-threshold:1 → Run staging smoke tests (');
    expect(text).toContain('    @timeout:60s @interval:2s @failure-threshold:3 @success-threshold:1 → Health check production (');
    expect(text).toContain('    @timeout:600s\n    @parallel[');
    expect(text).toContain('    ◆ tests:pass\n    ◆ review:approved\n    ◆ prerequisites:met');
    expect(text).toContain('    @if:staging:fail\n      → Rollback staging\n      → /debug ${failures}\n      → ABORT deployment');
    expect(text).toContain('      @fallback:rollback → Rollback production');
  });

  test('shows the interval and thresholds a config gives a poll', () => {
    const plan = recordedPlan('full');
    plan.stages.find((stage) => stage.id === 'production')!.blocks[2]!.poll = { intervalMs: 1500, failureThreshold: 5, successThreshold: 2 };
    expect(renderPlan(plan)).toContain('    @timeout:60s @interval:1500ms @failure-threshold:5 @success-threshold:2 → Health check production (Health)');
  });

  test('marks a skipped stage with its reason and plans nothing inside it', () => {
    const text = renderPlan(recordedPlan('staging-only'));
    expect(text).toContain('STAGE 4: PRODUCTION DEPLOYMENT (skipped: production not selected)');
    expect(text).not.toContain('Health check production');
  });

  test('a multi-line command is shown on one line', () => {
    const plan = recordedPlan('full');
    // As a YAML block scalar (`run: |`) gives it; the planned step shows the command it will run.
    plan.stages.find((stage) => stage.id === 'build')!.blocks[0]!.steps[0]!.detail = 'npm ci\nnpm run build\n';
    expect(renderPlan(plan)).toContain('@timeout:1800s → Build production artifacts (npm ci ⏎ npm run build)');
  });
});
