// A real Prometheus for the metric tests: the Debian `prometheus` binary (installed here when missing), started on a
// free loopback port with a temp config (scrape every second, the given targets only) and a temp storage dir, and
// stopped with its whole process group by `await using`. Its first sample of a target takes a few seconds.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './platform.js';

/** Installs the Debian package when the binary is not on PATH (CI and the developers' machines run as root). */
export function ensurePrometheusInstalled(): void {
  if (onPath('prometheus')) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus'], { env, stdio: 'ignore' });
  } catch {
    execFileSync('apt-get', ['update', '-qq'], { env, stdio: 'ignore' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus'], { env, stdio: 'ignore' });
  }
  if (!onPath('prometheus')) throw new Error('apt-get installed prometheus, but the binary is still not on PATH');
}

function onPath(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The README's five recipes as a \`verify.metrics\` list (indented for a verify section), for a prom-client service. */
export const PROMETHEUS_RECIPES = `  metrics:
    - name: error-rate
      prometheus:
        errors: 'sum(increase(http_requests_total{code=~"5.."}[\${interval}])) or vector(0)'
        total: 'sum(increase(http_requests_total[\${interval}]))'
    - name: latency-p95
      prometheus: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[\${interval}])))'
    - name: throughput
      prometheus: 'sum(rate(http_requests_total[\${interval}]))'
    - name: memory
      prometheus: 'process_resident_memory_bytes'
    - name: cpu
      prometheus: 'rate(process_cpu_seconds_total[\${interval}])'
`;

export interface Prometheus extends AsyncDisposable {
  /** Base URL of the HTTP API, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Resolves once an instant query returns at least one series (throws after `timeoutMs`). */
  waitForSeries(query: string, timeoutMs?: number): Promise<void>;
}

export interface PrometheusOptions {
  /** host:port of each service to scrape (path /metrics). */
  targets: string[];
  /** Default 1s. */
  scrapeIntervalSeconds?: number;
}

export async function startPrometheus(options: PrometheusOptions): Promise<Prometheus> {
  ensurePrometheusInstalled();
  const dir = await mkdtemp(join(tmpdir(), 'meta-deploy-prometheus-'));
  const interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  const config = [
    'global:',
    `  scrape_interval: ${interval}`,
    `  evaluation_interval: ${interval}`,
    'scrape_configs:',
    '  - job_name: service',
    `    static_configs: [{ targets: ${JSON.stringify(options.targets)} }]`,
    '',
  ].join('\n');
  await writeFile(join(dir, 'prometheus.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(-child.pid, 'SIGTERM');
      const killer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await poll(async () => (await fetch(`${url}/-/ready`)).ok, 30_000, () => (child.exitCode !== null ? `prometheus exited: ${log}` : undefined));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    async waitForSeries(query, timeoutMs = 20_000) {
      await poll(async () => {
        const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query })}`);
        const answer = (await response.json()) as { data?: { result?: unknown[] } };
        return (answer.data?.result?.length ?? 0) > 0;
      }, timeoutMs, () => undefined);
    },
    [Symbol.asyncDispose]: stop,
  };
}

async function poll(ready: () => Promise<boolean>, timeoutMs: number, fatal: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const failure = fatal();
    if (failure !== undefined) throw new Error(failure);
    if (await ready().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`prometheus: not ready after ${timeoutMs}ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
