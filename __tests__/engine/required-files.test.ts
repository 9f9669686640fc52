// `environments.<env>.requires` when the build collects no artifacts at all: the required file cannot be there, so
// the artifacts gate fails naming it (rather than passing as "no artifacts configured").
import { expect, test } from 'vitest';
import { createDeployWorkspace, STAGING_ONLY } from './deploy-workspace.js';
import { runPipeline } from './run-pipeline.js';

test('a required file with no build.artifacts fails the build, naming environment and path', async () => {
  await using workspace = await createDeployWorkspace();
  const config = `version: 1
validate:
  tests:
    - { name: unit, run: "true" }
${STAGING_ONLY.replace('    deploy: ./deploy.sh\n', '    deploy: ./deploy.sh\n    requires: [config/staging.json]\n')}`;
  const { deployment } = await runPipeline(workspace.dir, config, { version: '1.0.0', environments: 'staging' });
  expect(deployment).toMatchObject({
    result: 'failed',
    failedStage: 'build',
    reason: 'build failed: build.artifacts is empty, but environments.staging.requires config/staging.json',
  });
  expect(deployment.stages.build.data!.requires).toEqual([{ environment: 'staging', path: 'config/staging.json', present: false }]);
  expect(await workspace.current('staging')).toBeUndefined();
});
