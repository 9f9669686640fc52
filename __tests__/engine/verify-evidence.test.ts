// A verify stage that measured nothing never passes. The config refuses a verify section without probes or smoke
// checks; this drives the engine with such a section anyway (set after validation, as a later source of probes
// could leave it empty) and expects production to be rolled back, not "0 samples within limits".
import { expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createDefaultIo } from '../../src/engine/default-io.js';
import { runDeploy } from '../../src/engine/run-deploy.js';
import { createMasker } from '../../src/exec/mask.js';
import { resolveInputs } from '../../src/plan/inputs.js';
import { planDeploy } from '../../src/plan/plan-deploy.js';
import { createDeployWorkspace, pipelineConfig, type DeployWorkspace } from './deploy-workspace.js';
import { startLoopbackServer } from './loopback-server.js';
import { recordingInFlight, recordingObserver } from './recording-observer.js';

async function deploy(workspace: DeployWorkspace, yaml: string, version: string, measureNothing: boolean) {
  const loaded = parseConfig(yaml, workspace.configFile);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const verify = loaded.config.targets['default']?.verify;
  if (measureNothing && verify) Object.assign(verify, { probes: [], smoke: [] });
  const inputs = resolveInputs({ version, environments: 'staging,production' }, loaded.config);
  if (!inputs.ok) throw new Error(inputs.error);
  const plan = await planDeploy(loaded.config, inputs.inputs, { workspace: workspace.dir });
  const mask = createMasker([]);
  return runDeploy(plan, {
    io: createDefaultIo(mask),
    observer: recordingObserver(),
    inFlight: recordingInFlight(),
    env: process.env,
    signal: new AbortController().signal,
    mask,
    cli: 'meta-deploy',
  });
}

test('a verify window with no probe samples and no smoke checks fails its gate and rolls production back', { timeout: 20_000 }, async () => {
  await using workspace = await createDeployWorkspace();
  await using production = await startLoopbackServer((_request, response) => response.end('ok'));
  const yaml = pipelineConfig({ productionUrl: production.url, verify: '  window: 300ms\n  interval: 100ms\n  latency-p95: { max-ratio: 50 }\n  probes: ["${url}/"]\n  probe-rate: 50' });

  expect((await deploy(workspace, yaml, '1.0.0', false)).result).toBe('success');
  const deployment = await deploy(workspace, yaml, '1.1.0', true);

  expect(deployment.result).toBe('rolled-back');
  expect(deployment.failedStage).toBe('verify');
  expect(deployment.reason).toContain('production not verified: no metric was measured');
  expect(deployment.stages.verify.gates).toContainEqual({ name: 'metrics:normal', passed: false, detail: 'no metric was measured' });
  expect(await workspace.current('production')).toBe('1.0.0');
});

test('a verify section with smoke checks but no probes is refused before anything runs: metrics:normal would have nothing to measure', () => {
  const yaml = pipelineConfig({ productionUrl: 'http://127.0.0.1:9', verify: '  window: 300ms\n  smoke: [{ name: home, http: "${url}/" }]' });
  const loaded = parseConfig(yaml, 'meta-deploy.yml');
  expect(loaded.ok).toBe(false);
  expect(JSON.stringify(!loaded.ok && loaded.problems)).toContain('verify has no probes, so metrics:normal has nothing to measure');
});
