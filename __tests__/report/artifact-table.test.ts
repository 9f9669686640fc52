// The artifacts table in the job summary and the terminal build box: each environment's required files (present ones
// marked, missing ones as failed rows), the max-size verdict on the total, the empty-set error, and the hashing
// throughput taken from BuildData.hashing.
import { expect, test } from 'vitest';
import type { Deployment } from '../../src/engine/model.js';
import { renderSummary } from '../../src/report/summary.js';
import { createTerminalObserver } from '../../src/report/terminal.js';
import { SCENARIOS } from '../fixtures/deployments/scenarios.js';
import { replayDeployment } from './replay.js';
import { VirtualScreen } from './virtual-screen.js';

/** The recorded successful run, with the build's new facts filled in. */
function withBuildFacts(change: (build: NonNullable<Deployment['stages']['build']['data']>) => void): Deployment {
  const deployment = SCENARIOS.success();
  change(deployment.stages.build.data!);
  return deployment;
}

function render(deployment: Deployment): { summary: string; terminal: string } {
  const screen = new VirtualScreen();
  replayDeployment(createTerminalObserver(screen.stream(), { tty: true, color: false, width: 160 }), deployment);
  return { summary: renderSummary(deployment), terminal: screen.text() };
}

test('the hashing throughput is in the table and the build box', () => {
  const { summary, terminal } = render(withBuildFacts((build) => (build.hashing = { files: 2, bytes: 500_000_000, durationMs: 1000, workers: 2 })));
  expect(summary).toContain('| Hashed while copied | 500 MB/s (2 workers, 1s) | one read of every byte |');
  expect(terminal).toContain('Hashed while copied: 500 MB/s (2 workers, 1s)');
});

test('required files: a present one says which environment needs it, a missing one is a failed row naming env and path', () => {
  const deployment = withBuildFacts((build) => {
    build.requires = [
      { environment: 'production', path: 'release.json', present: true },
      { environment: 'production', path: 'config/production.json', present: false },
    ];
  });
  const { summary, terminal } = render(deployment);
  expect(summary).toMatch(/\| `release\.json` \(required by production\) \| 36 B \|/);
  expect(summary).toContain('| ❌ `config/production.json` | — | missing: required by `environments.production.requires` |');
  expect(terminal).toMatch(/- release\.json  36 B  \S+  \(required by production\)/);
  expect(terminal).toContain('✗ config/production.json: missing, required by environments.production.requires');
});

test('the total carries the max-size verdict; an empty set shows its error in the table', () => {
  const { summary, terminal } = render(SCENARIOS.success());
  expect(summary).toMatch(/\| \*\*Total: 2 artifacts\*\* \| \*\*1\.9 KiB\*\* ✓ max-size: 1\.9 KiB of 10 MiB \|/);
  expect(terminal).toContain('✓ max-size: 1.9 KiB of 10 MiB');

  const empty = render(
    withBuildFacts((build) => {
      build.artifacts = [];
      build.totalSize = 0;
      build.integrity = [{ name: 'Artifacts collected', status: 'failed', detail: 'no file matches out/**', startedAt: '2026-11-26T13:00:00.000Z', durationMs: 1 }];
    }),
  );
  expect(empty.summary).toContain('| ❌ **no artifacts** | — | no file matches out/\\*\\* |');
  expect(empty.terminal).toContain('✗ no artifacts: no file matches out/**');
});

test('each environment shows how its artifacts were checked before the deploy, and the files that changed', () => {
  const deployment = SCENARIOS.success();
  deployment.stages.staging.data!.tamper = { status: 'passed', mode: 'full hash', files: 2, durationMs: 12, problems: [] };
  deployment.stages.production.data!.tamper = { status: 'failed', mode: 'size and mtime', files: 2, durationMs: 3, problems: ['app.mjs: missing'] };
  delete deployment.stages.production.data!.deploy;
  const { summary, terminal } = render(deployment);
  expect(summary).toContain('- **Artifacts check:** ✅ full hash of 2 files against SHA256SUMS: unchanged (12ms)');
  expect(summary).toContain('- **Artifacts check:** ❌ size and mtime of 2 files against SHA256SUMS: app.mjs: missing (3ms)');
  expect(terminal).toContain('✓ Artifacts: full hash of 2 files against SHA256SUMS: unchanged (12ms)');
  expect(terminal).toContain('✗ Artifacts: size and mtime of 2 files against SHA256SUMS: app.mjs: missing (3ms)');
  expect(terminal).toContain('Status: NOT DEPLOYED');
});
