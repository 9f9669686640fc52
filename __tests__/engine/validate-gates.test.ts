// The validate stage's tests:pass gate reads the test runner's JUnit report, not only its exit code: a runner that
// reports failed cases but exits 0 still fails the gate and deploys nothing. Its passing twin reports no failure.
import { expect, test } from 'vitest';
import { createDeployWorkspace, STAGING_ONLY, type DeployWorkspace } from './deploy-workspace.js';
import { runPipeline } from './run-pipeline.js';

const config = `version: 1
validate:
  tests:
    - { name: unit, run: ./test.sh, junit: reports/unit.xml }
${STAGING_ONLY}`;

/** A test command that writes a JUnit report of two cases, `failing` of them failed, and exits 0 either way. */
async function runTests(workspace: DeployWorkspace, failing: number) {
  const cases = ['<testcase name="adds"/>', failing ? '<testcase name="subtracts"><failure message="expected 1, got 2"/></testcase>' : '<testcase name="subtracts"/>'];
  await workspace.writeScript('test.sh', `mkdir -p reports\ncat > reports/unit.xml <<'XML'\n<testsuite name="unit" tests="2" failures="${failing}">${cases.join('')}</testsuite>\nXML\nexit 0\n`);
  const { deployment } = await runPipeline(workspace.dir, config, { version: '1.0.0', environments: 'staging' });
  return deployment;
}

test('a test run that exits 0 but reports a failed case in its JUnit file fails tests:pass and deploys nothing', async () => {
  await using workspace = await createDeployWorkspace();
  const failed = await runTests(workspace, 1);
  expect(failed).toMatchObject({ result: 'failed', failedStage: 'validate' });
  expect(failed.stages.validate.gates.find((gate) => gate.name === 'tests:pass')).toMatchObject({ passed: false });
  expect(failed.stages.validate.data!.tests[0]).toMatchObject({ status: 'failed', detail: expect.stringContaining('1 passed, 1 failed, 0 skipped') });
  expect(await workspace.current('staging')).toBeUndefined();

  const passed = await runTests(workspace, 0);
  expect(passed.result, passed.reason).toBe('success');
  expect(passed.stages.validate.data!.tests[0]).toMatchObject({ status: 'passed', detail: expect.stringContaining('2 passed, 0 failed, 0 skipped') });
});
