// The end-to-end part of the verdict corpus: releases deployed through the bundled CLI (`dist/cli`) to a loopback
// service with a real service's noise (lognormal latency, rare slow spikes, 0.3 % errors; see
// __tests__/fixtures/service/app.mjs), judged by the real verify stage with the default limits and confidence, a
// 10 s window and a look every second. The service, the CLI and the deploy commands share this machine's two cores, so
// its latency includes their scheduling delays (tens of ms while a deploy runs): a 40 ms median keeps the service's
// own noise, not the machine's, what is judged. Good releases must never be rolled back; bad ones (error rate to 10 %,
// doubled latency) must be. Two chains run side by side, each in its own workspace with its own platforms.
import { fork, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const GOOD = { medianMs: 40, sigma: 0.35, spikeRate: 0.01, spikeFactor: 8, errorRate: 0.003 };
export const E2E_RELEASES = [
  { effect: 'good (no change)', noise: GOOD, count: 30 },
  { effect: 'error rate 0.3 % → 10 %', noise: { ...GOOD, errorRate: 0.1 }, count: 5 },
  { effect: 'latency ×2', noise: { ...GOOD, medianMs: 80 }, count: 5 },
];
export const E2E_SETTINGS = 'window 10s, interval 1s, probe-rate 40/s, min-samples 100, default limits (error rate max 1 %, +0.5 pt; latency ×1.5) and confidence 0.98';

/** A free port on loopback (shared with bench-github.mjs). */
export function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startPlatform(dir, environment) {
  const port = await freePort();
  const child = fork(join(root, 'examples', 'platform', 'serve.mjs'), [dir, String(port), environment], { stdio: 'ignore' });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`platform exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

function config(stagingUrl, productionUrl) {
  const checks = '[{ name: Health endpoint, http: "${url}/healthz", status: 200, contains: ok }]';
  return `version: 1
validate: { tests: [{ name: unit, run: "node --check app.mjs" }] }
build: { run: node build.mjs, artifacts: ["dist/**"] }
environments:
  staging: { url: ${stagingUrl}, provider: local, path: srv/staging, smoke: { timeout: 5s, interval: 200ms, checks: ${checks} } }
  production: { url: ${productionUrl}, provider: local, path: srv/production, health: { timeout: 5s, interval: 200ms, checks: ${checks} } }
verify:
  window: 10s
  interval: 1s
  probes: ["\${url}/api"]
  probe-rate: 40
  min-samples: 100
finalize: { changelog: false, release: false }
`;
}

function runCli(cwd, version, noise) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'cli', 'index.js'), 'run', '--version', version, '--json'], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, FIXTURE_NOISE: JSON.stringify(noise) },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('close', () => resolve(JSON.parse(stdout)));
  });
}

/** One workspace deploying `releases` in order after a first good one; returns one outcome per release. */
async function chain(releases) {
  const dir = mkdtempSync(join(tmpdir(), 'meta-deploy-verdicts-'));
  cpSync(join(root, '__tests__', 'fixtures', 'service'), dir, { recursive: true });
  const staging = await startPlatform(join(dir, 'srv', 'staging'), 'staging');
  const production = await startPlatform(join(dir, 'srv', 'production'), 'production');
  mkdirSync(join(dir, '.github'), { recursive: true });
  writeFileSync(join(dir, '.github', 'meta-deploy.yml'), config(staging.url, production.url));
  const outcomes = [];
  try {
    const first = await runCli(dir, '1.0.0', GOOD);
    if (first.result !== 'success') throw new Error(`the first release did not deploy: ${first.reason}`);
    let minor = 1;
    for (const release of releases) {
      const report = await runCli(dir, `1.${minor++}.0`, release.noise);
      const verify = report.stages.verify.data;
      outcomes.push({
        effect: release.effect,
        rolledBack: report.result === 'rolled-back',
        result: report.result,
        // Why it ended as it did: the run's reason, else each metric's verdict in the judge's words.
        reason: report.reason ?? (verify?.metrics ?? []).map((metric) => metric.reason).join('; '),
        detectMs: verify?.elapsedMs,
        inconclusive: (verify?.metrics ?? []).some((metric) => metric.status === 'inconclusive'),
      });
    }
  } finally {
    staging.stop();
    production.stop();
  }
  return outcomes;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs the corpus (about 4 minutes on 2 cores) and returns its table rows. */
export async function verifyEndToEnd() {
  const releases = E2E_RELEASES.flatMap((kind) => Array.from({ length: kind.count }, () => kind));
  const halves = [releases.filter((_, i) => i % 2 === 0), releases.filter((_, i) => i % 2 === 1)];
  const outcomes = (await Promise.all(halves.map(chain))).flat();
  return E2E_RELEASES.map(({ effect, noise }) => {
    const mine = outcomes.filter((outcome) => outcome.effect === effect);
    const rolledBack = mine.filter((outcome) => outcome.rolledBack);
    const good = noise === GOOD;
    const unexpected = mine.filter((outcome) => outcome.rolledBack === good).map((outcome) => `${outcome.result}: ${outcome.reason}`);
    return {
      effect,
      releases: mine.length,
      rate: rolledBack.length / mine.length,
      good,
      medianDetectMs: rolledBack.length ? median(rolledBack.map((outcome) => outcome.detectMs)) : undefined,
      inconclusive: mine.filter((outcome) => outcome.inconclusive).length / mine.length,
      unexpected,
    };
  });
}
