// Verify with a real Prometheus, through the bundled action (dist/index.js) run as the runner runs it. A service
// instrumented with prom-client takes steady traffic and is scraped every second; "deploying" a release sets how it
// behaves (its error share), through a control endpoint the deploy and rollback scripts call. All five of the seed's
// metrics come from Prometheus: a good release passes with each one's before/after figures in the job summary; a
// release that raises the error rate is rolled back with the metric, its figures and the confidence.
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startInstrumentedService, type InstrumentedService } from '../support/instrumented-service.js';
import { PROMETHEUS_RECIPES, startPrometheus, type Prometheus } from '../support/prometheus.js';
import { runNode, runnerFiles } from '../support/runner-files.js';

const WINDOW_S = 12;

let service: InstrumentedService;
let prometheus: Prometheus;
let stopTraffic: () => Promise<void>;
let control: { url: string; close(): void };
let workspace: string;

/** What the deploy, rollback and snapshot scripts talk to: which release runs, and how it behaves. */
function startControl(): Promise<{ url: string; close(): void }> {
  let running = '1.0.0';
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/deploy') {
      running = url.searchParams.get('version') ?? running;
      service.behave({ errorRate: Number(url.searchParams.get('errors') ?? 0) });
    } else if (url.pathname === '/rollback') {
      running = url.searchParams.get('to') ?? running;
      service.behave({ errorRate: 0 });
    }
    response.end(`${running}\n`);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, close: () => server.close() });
    }),
  );
}

function config(serviceUrl: string, prometheusUrl: string): string {
  return `version: 1
validate: { tests: [{ name: unit, run: "true" }] }
environments:
  production:
    url: ${serviceUrl}
    deploy: ./deploy.sh
    rollback: ./rollback.sh
    snapshot: ./snapshot.sh
    health: { timeout: 5s, interval: 200ms, checks: [{ name: up, http: "\${url}/healthz" }] }
verify:
  window: ${WINDOW_S}s
  interval: 3s
  prometheus: { url: ${prometheusUrl} }
${PROMETHEUS_RECIPES}finalize: { changelog: false, release: false }
`;
}

async function deploy(version: string, errorRate: number) {
  const runner = await runnerFiles(workspace, { version, 'github-token': '' });
  const result = await runNode('dist/index.js', { ...runner.env, CONTROL_URL: control.url, RELEASE_ERROR_RATE: String(errorRate) });
  return { result, outputs: await runner.outputs(), summary: await runner.summary() };
}

beforeAll(async () => {
  service = await startInstrumentedService({ latencyMs: 20 });
  prometheus = await startPrometheus({ targets: [service.target] });
  stopTraffic = service.driveTraffic(20);
  control = await startControl();
  workspace = await mkdtemp(join(tmpdir(), 'meta-deploy-prometheus-verify-'));
  const scripts: Record<string, string> = {
    'deploy.sh': 'curl -fsS "$CONTROL_URL/deploy?version=$META_DEPLOY_VERSION&errors=$RELEASE_ERROR_RATE"\n',
    'rollback.sh': 'curl -fsS "$CONTROL_URL/rollback?to=$META_DEPLOY_SNAPSHOT_ID"\n',
    'snapshot.sh': 'curl -fsS "$CONTROL_URL/version"\n',
  };
  for (const [name, body] of Object.entries(scripts)) {
    await writeFile(join(workspace, name), `#!/usr/bin/env bash\nset -euo pipefail\n${body}`);
    await chmod(join(workspace, name), 0o755);
  }
  await mkdir(join(workspace, '.github'));
  await writeFile(join(workspace, '.github', 'meta-deploy.yml'), config(service.url, prometheus.url));
  await prometheus.waitForSeries('http_requests_total');
  // The baseline window is the verify window before the deploy: let Prometheus hold that much traffic first.
  await new Promise((resolve) => setTimeout(resolve, (WINDOW_S + 2) * 1000));
}, 90_000);

afterAll(async () => {
  await stopTraffic?.();
  control?.close();
  await prometheus?.[Symbol.asyncDispose]();
  await service?.[Symbol.asyncDispose]();
});

describe('verify with Prometheus, through the bundled action', () => {
  test('a good release passes with all five metrics shown before and after', { timeout: 90_000 }, async () => {
    const { result, outputs, summary } = await deploy('1.1.0', 0);

    expect(outputs.result, result.stderr + result.stdout).toBe('success');
    for (const [label, unit] of [['Error rate', '%'], ['Latency p95', 'ms'], ['Throughput', 'req/s'], ['Memory', 'MiB'], ['CPU', '']] as const) {
      const row = summary.split('\n').find((line) => line.startsWith(`| ${label} | prometheus | `));
      expect(row, `${label} row in:\n${summary}`).toBeDefined();
      const [before, after] = row!.split(' | ').slice(2, 4);
      expect(before).toMatch(new RegExp(`^[\\d.]+ ?${unit.replace('/', '\\/')} \\(n=\\d+\\)$`));
      expect(after).toMatch(new RegExp(`^[\\d.]+ ?${unit.replace('/', '\\/')} \\(n=\\d+\\)$`));
      expect(row).not.toMatch(/❌ fail/);
    }
  });

  test('a release that raises the error rate is rolled back with the metric, its figures and the confidence in the job summary', { timeout: 90_000 }, async () => {
    // Prometheus counts per step come from increase(), whose extrapolation makes the share near, not exactly, 20 %.
    // The metrics' baseline starts where the previous run on production ended: give it a few steps of the good release.
    await new Promise((resolve) => setTimeout(resolve, 7000));
    const { outputs, summary } = await deploy('1.2.0', 0.2);

    expect(outputs).toMatchObject({ result: 'rolled-back', 'failed-stage': 'verify' });
    expect(summary).toMatch(/\| Error rate \| prometheus \| 0\.00% \(n=\d+\) \| (1[5-9]|2\d)\.\d\d% \(n=\d+\) \| [^|]+ \| exact binomial \| ≥ 99\.99% \(needed 99\.\d+%\) \| [^|]+ \| ❌ fail \|/);
    expect(summary).toMatch(/error-rate: 0\.00% → \d+\.\d\d% \(0\/\d+ → \d+\/\d+\): above max 1\.00%, over 99\.99% sure by exact binomial test/);
    expect(await fetch(`${control.url}/version`).then((response) => response.text())).toBe('1.1.0\n');
  });
});
