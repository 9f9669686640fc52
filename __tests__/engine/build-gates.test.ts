// The build stage's own gates reach their failure paths on a real workspace: artifacts over `build.max-size`, and
// an artifact holding a credential, each stop the run before anything is deployed. Each failing case has a passing
// twin (at the limit; scan turned off) so that the gate, and nothing else, is what fails the run. The last test runs
// both failures through the bundled CLI (dist/cli/index.js), as a user sees them.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runNode } from '../support/runner-files.js';
import { createDeployWorkspace, STAGING_ONLY, type DeployWorkspace } from './deploy-workspace.js';
import { runPipeline } from './run-pipeline.js';

/** A key in the AWS access key id format, built here so that this file itself holds none. */
const FAKE_AWS_KEY = `AKIA${'Z'.repeat(16)}`;

/** A build writing out/app.js of `appBytes` bytes and out/config.js holding `configLine` (plain words only). */
function buildScript({ appBytes, configLine }: BuildOutput): string {
  return `mkdir -p out\nhead -c ${appBytes} /dev/zero | tr '\\0' x > out/app.js\nprintf '%s\\n' '${configLine}' > out/config.js\n`;
}

interface BuildOutput {
  appBytes: number;
  configLine: string;
}

function buildConfig(build: string): string {
  return `version: 1
validate:
  tests:
    - { name: unit, run: "true" }
build:
  run: ./build.sh
  artifacts: ["out/**"]
${build}
${STAGING_ONLY}`;
}

async function runBuild(workspace: DeployWorkspace, build: string, output: BuildOutput) {
  await workspace.writeScript('build.sh', buildScript(output));
  const { deployment } = await runPipeline(workspace.dir, buildConfig(build), { version: '1.0.0', environments: 'staging' });
  return deployment;
}

test('artifacts over build.max-size fail the artifacts:verified gate and deploy nothing; at the limit they pass', async () => {
  await using workspace = await createDeployWorkspace();
  // out/config.js is "x\n" (2 bytes): 1023 + 2 is one byte over 1 KiB, 1022 + 2 is 1 KiB exactly.
  const over = await runBuild(workspace, '  max-size: 1KiB', { appBytes: 1023, configLine: 'x' });
  expect(over).toMatchObject({ result: 'failed', failedStage: 'build', reason: expect.stringMatching(/^build failed: artifacts total .*, over build\.max-size 1 KiB$/) });
  expect(over.stages.build.data!.totalSize).toBe(1025);
  expect(over.stages.build.gates.find((gate) => gate.name === 'artifacts:verified')).toMatchObject({ passed: false });
  expect(over.stages.build.data!.integrity.at(-1)).toMatchObject({ name: 'Size within max-size', status: 'failed' });
  expect(over.stages.staging.status).toBe('not-run');
  expect(await workspace.current('staging')).toBeUndefined();

  const atLimit = await runBuild(workspace, '  max-size: 1KiB', { appBytes: 1022, configLine: 'x' });
  expect(atLimit.result, atLimit.reason).toBe('success');
  expect(atLimit.stages.build.data!.totalSize).toBe(1024);
  expect(await workspace.current('staging')).toBe('1.0.0');
});

test('a credential in an artifact fails the secrets scan and deploys nothing; with secrets-scan: false it ships', async () => {
  await using workspace = await createDeployWorkspace();
  const output = { appBytes: 10, configLine: `aws_key = ${FAKE_AWS_KEY}` };
  const found = await runBuild(workspace, '  secrets-scan: true', output);
  expect(found).toMatchObject({ result: 'failed', failedStage: 'build', reason: expect.stringMatching(/^build failed: secrets scan: 1 secret found: config\.js:1 @secretlint\/secretlint-rule-aws \(AKIA…\); /) });
  expect(found.stages.build.data!.integrity.at(-1)).toMatchObject({ name: 'No sensitive data in artifacts', status: 'failed' });
  expect(found.stages.staging.status).toBe('not-run');
  expect(await workspace.current('staging')).toBeUndefined();

  const unscanned = await runBuild(workspace, '  secrets-scan: false', output);
  expect(unscanned.result, unscanned.reason).toBe('success');
  expect(await workspace.current('staging')).toBe('1.0.0');
});

test('through the bundled CLI, either gate failing stops the run at build with exit 1 and the reason', async () => {
  await using workspace = await createDeployWorkspace();
  await writeFile(workspace.configFile, buildConfig('  max-size: 1KiB'));
  for (const [output, reason] of [
    [{ appBytes: 2046, configLine: 'x' }, 'build failed: artifacts total 2 KiB, over build.max-size 1 KiB'],
    [{ appBytes: 10, configLine: `aws_key = ${FAKE_AWS_KEY}` }, 'build failed: secrets scan: 1 secret found: config.js:1 @secretlint/secretlint-rule-aws (AKIA…)'],
  ] as const) {
    await workspace.writeScript('build.sh', buildScript(output));
    const result = await runNode('dist/cli/index.js', {}, { cwd: workspace.dir, args: ['run', '--config', join(workspace.dir, 'meta-deploy.yml'), '--version', '1.0.0'] });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^\[build\] failed/m);
    expect(result.stdout).toContain(reason);
    expect(await workspace.current('staging')).toBeUndefined();
  }
});
