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
import { lookAlpha } from '../../src/metrics/stats/alpha-spending.js';

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
  // Judged at look 2 with the metric's own min-samples (3 points), at that look's share of the budget.
  expect(memory).toMatchObject({ status: 'inconclusive', test: 'mann-whitney-u', after: { samples: 3 } });
  expect(memory?.alpha).toBeCloseTo(lookAlpha(0.02, 2 / 3, 1 / 3), 12);
  expect(memory?.reason).toMatch(/^memory: no data after the deploy \(prometheus: HTTP 503.*\) since look 3 of 3; at look 2: memory: p95/);
  expect(deployment.stages.verify.data?.warnings).toEqual([expect.stringMatching(/^memory inconclusive \(verify\.on-inconclusive: pass\)/)]);
  expect(running).toBe('2.0.0');
});

test('a failing smoke check during the window is an anomaly: the window ends at once and production is rolled back', { timeout: 20_000 }, async () => {
  const { deployment, running } = await deploy(
    '  window: 5s\n  interval: 500ms\n  probes: ["${url}/healthz"]\n  probe-rate: 50\n  latency-p95: { max-ratio: 50 }\n  smoke: [{ name: Missing page, http: "${url}/missing", status: 404, contains: "never there" }]',
  );

  const verify = deployment.stages.verify;
  expect(deployment.result).toBe('rolled-back');
  expect(verify.data?.anomalies).toEqual([expect.objectContaining({ type: 'smoke-failure' })]);
  expect(verify.gates).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'no:anomalies', passed: false }), expect.objectContaining({ name: 'metrics:normal', passed: false })]));
  expect(verify.data?.stoppedEarly).toBe(true);
  expect(verify.data?.looks.taken).toBeLessThan(verify.data!.looks.planned);
  expect(running).toBe('1.0.0');
});

test('a metric that fails at the first look ends the window there', { timeout: 20_000 }, async () => {
  await using workspace = await createDeployWorkspace();
  // Production answers /healthz, which the health gate checks; /api fails every request after the deploy.
  await using production = await startLoopbackServer((request, response) => {
    void workspace.current('production').then((version) => response.writeHead(request.url === '/api' && version === '2.0.0' ? 500 : 200).end('ok'));
  });
  await workspace.setCurrent('production', '1.0.0');
  const verify = '  window: 5s\n  interval: 500ms\n  probes: ["${url}/api"]\n  probe-rate: 50\n  latency-p95: { max-ratio: 50 }';
  const { deployment } = await runPipeline(workspace.dir, pipelineConfig({ productionUrl: production.url, verify }), { version: '2.0.0' });

  expect(deployment.result).toBe('rolled-back');
  expect(deployment.stages.verify.data?.looks).toEqual({ taken: 1, planned: 10 });
  expect(deployment.stages.verify.data?.metrics[0]).toMatchObject({ name: 'error-rate', status: 'fail' });
  expect(await workspace.current('production')).toBe('1.0.0');
});
