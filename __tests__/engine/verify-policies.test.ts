// What verify does with metrics that are not clearly good or bad, at the end of the window: a metric that measured
// nothing (Prometheus down) follows on-no-data (default rollback), an inconclusive one follows on-inconclusive
// (default pass, with a warning carrying its figures). Each policy is driven both ways through the engine, with a
// real production server and a real closed port standing in for a Prometheus that is down.
import { createServer } from 'node:net';
import { expect, test } from 'vitest';
import { createDeployWorkspace, pipelineConfig } from './deploy-workspace.js';
import { startLoopbackServer } from './loopback-server.js';
import { recordingObserver, type RecordingObserver } from './recording-observer.js';
import { runPipeline } from './run-pipeline.js';

/** A loopback port nothing listens on: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

async function deploy(verify: string, observer?: RecordingObserver) {
  await using workspace = await createDeployWorkspace();
  await using production = await startLoopbackServer((_request, response) => response.end('ok'));
  await workspace.setCurrent('production', '1.0.0');
  const { deployment } = await runPipeline(workspace.dir, pipelineConfig({ productionUrl: production.url, verify }), { version: '2.0.0', ...(observer ? { observer } : {}) });
  return { deployment, running: await workspace.current('production') };
}

const WINDOW = '  window: 600ms\n  interval: 200ms\n  probes: ["${url}/healthz"]\n  probe-rate: 50\n  latency-p95: { max-ratio: 50 }';

test('a metric that measured nothing (Prometheus down) rolls production back by default, naming the metric and why', { timeout: 20_000 }, async () => {
  const port = await closedPort();
  const { deployment, running } = await deploy(`${WINDOW}\n  prometheus: { url: "http://127.0.0.1:${port}" }\n  metrics:\n    - { name: memory, prometheus: "sum(process_resident_memory_bytes)" }`);

  expect(deployment.result).toBe('rolled-back');
  expect(deployment.failedStage).toBe('verify');
  expect(deployment.reason).toMatch(/^production not verified: memory no data \(verify\.on-no-data: rollback\): .*connection refused/);
  expect(deployment.stages.verify.data?.metrics.find((metric) => metric.name === 'memory')).toMatchObject({ status: 'no-data', source: 'prometheus' });
  expect(running).toBe('1.0.0');
});

test('with on-no-data: pass the same run succeeds, and the warning says what was not measured', { timeout: 20_000 }, async () => {
  const port = await closedPort();
  const { deployment, running } = await deploy(
    `${WINDOW}\n  on-no-data: pass\n  prometheus: { url: "http://127.0.0.1:${port}" }\n  metrics:\n    - { name: memory, prometheus: "sum(process_resident_memory_bytes)" }`,
  );

  expect(deployment.result).toBe('success');
  expect(deployment.stages.verify.status).toBe('warning');
  expect(deployment.stages.verify.data?.warnings).toEqual([expect.stringMatching(/^memory no data \(verify\.on-no-data: pass\): .*connection refused/)]);
  expect(running).toBe('2.0.0');
});

test('an inconclusive metric (too few samples) passes with a warning by default, and rolls back with on-inconclusive: rollback', { timeout: 30_000 }, async () => {
  const tooFew = `${WINDOW}\n  min-samples: 100000`;
  const passed = await deploy(tooFew);
  expect(passed.deployment.result).toBe('success');
  expect(passed.deployment.stages.verify.status).toBe('warning');
  expect(passed.deployment.stages.verify.data?.warnings).toEqual([
    expect.stringMatching(/^error-rate inconclusive \(verify\.on-inconclusive: pass\): .*too few samples/),
    expect.stringMatching(/^latency-p95 inconclusive \(verify\.on-inconclusive: pass\): .*too few samples/),
  ]);
  expect(passed.running).toBe('2.0.0');

  const rolledBack = await deploy(`${tooFew}\n  on-inconclusive: rollback`);
  expect(rolledBack.deployment.result).toBe('rolled-back');
  expect(rolledBack.deployment.reason).toMatch(/^production not verified: error-rate inconclusive \(verify\.on-inconclusive: rollback\)/);
  expect(rolledBack.running).toBe('1.0.0');
});

test('a source that measured and then went down keeps its last verdict, as inconclusive: no rollback for an outage of the monitoring', { timeout: 20_000 }, async () => {
  // Looks at 0.8 s, 1.6 s and 2.4 s into verify; Prometheus answers until 2 s in, then is gone.
  let verifyStartedAt = Number.POSITIVE_INFINITY;
  const observer = recordingObserver((stage) => {
    if (stage === 'verify') verifyStartedAt = Date.now();
  });
  const points = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[1, '100'], [2, '101'], [3, '99']] }] } });
  await using prometheus = await startLoopbackServer((_request, response) => {
    if (Date.now() - verifyStartedAt < 2000) response.writeHead(200, { 'content-type': 'application/json' }).end(points);
    else response.writeHead(503).end('down');
  });
  const verify = `  window: 2400ms\n  interval: 800ms\n  probes: ["\${url}/healthz"]\n  probe-rate: 50\n  latency-p95: { max-ratio: 50 }`;
  const { deployment, running } = await deploy(`${verify}\n  prometheus: { url: "${prometheus.url}" }\n  metrics:\n    - { name: memory, prometheus: "sum(process_resident_memory_bytes)" }`, observer);

  expect(deployment.result).toBe('success');
  const memory = deployment.stages.verify.data?.metrics.find((metric) => metric.name === 'memory');
  expect(memory).toMatchObject({ status: 'inconclusive', after: { samples: 3 } });
  expect(memory?.reason).toMatch(/^memory: no data after the deploy \(prometheus: HTTP 503.*\) since look 3 of 3; at look 2: memory: p95/);
  expect(deployment.stages.verify.data?.warnings).toEqual([expect.stringMatching(/^memory inconclusive \(verify\.on-inconclusive: pass\)/)]);
  expect(running).toBe('2.0.0');
});
