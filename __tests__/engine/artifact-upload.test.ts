// Where the engine calls the artifact upload port: once, at the end, with the report written and the name's
// placeholders filled in; its record joins the build's data (or the notices when the build never ran), and an upload
// that fails, even by throwing, is a warning that leaves the result as it was.
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { ArtifactUploadRequest } from '../../src/engine/artifact-upload-port.js';
import { createDeployWorkspace, STAGING_ONLY } from './deploy-workspace.js';
import { runPipeline } from './run-pipeline.js';

const config = (validate: string) => `version: 1
validate:
  tests: [{ name: unit, run: "${validate}" }]
build: { upload: { name: "shop-\${target}-\${version}-\${sha}", retention-days: 3 } }
${STAGING_ONLY}`;

test('a run that failed before the build: the upload is asked once, named from the config, and said in the notices', async () => {
  await using workspace = await createDeployWorkspace();
  const requests: ArtifactUploadRequest[] = [];
  const { deployment } = await runPipeline(workspace.dir, config('false'), {
    version: '2.0.0',
    environments: 'staging',
    uploadArtifacts: async (request) => (requests.push(request), { status: 'passed', name: request.name, detail: 'kept in the store' }),
  });

  expect(deployment).toMatchObject({ result: 'failed', failedStage: 'validate' });
  expect(requests).toHaveLength(1);
  expect(requests[0]).toMatchObject({ name: 'shop-default-2.0.0-', retentionDays: 3, stateDir: join(workspace.dir, '.meta-deploy') });
  expect(requests[0]!.deployment).toMatchObject({ id: deployment.id, result: 'failed', reportFile: deployment.reportFile });
  expect(deployment.stages.build.data).toBeUndefined();
  expect(deployment.notices).toContain('Artifact upload: kept in the store');
});

test('an upload that throws is a warning in the build data; the deployment still succeeds', async () => {
  await using workspace = await createDeployWorkspace();
  const { deployment } = await runPipeline(workspace.dir, config('true'), {
    version: '2.0.0',
    environments: 'staging',
    uploadArtifacts: () => Promise.reject(new Error('service unavailable')),
  });

  expect(deployment.result).toBe('success');
  expect(deployment.stages.build.data?.upload).toEqual({ status: 'warning', name: 'shop-default-2.0.0-', detail: 'upload failed: service unavailable' });
});
