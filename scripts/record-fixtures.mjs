// Records the deployments and plans the report tests render, so that they render what the engine really produces:
// each scenario runs the bundled CLI (dist/cli/index.js) on a real workspace (the fixture service, served on loopback
// by the demo platform, or command-provider scripts), and the Deployment it reports is saved as
// __tests__/fixtures/deployments/<scenario>.json; each plan is `meta-deploy plan --json` of the shipped example config
// in a git repository, saved as __tests__/fixtures/deployments/plan-<name>.json. Volatile values are normalised at record time — temp paths, ports,
// the repository path, clock times (shifted to one fixed start), the deployment id, free disk space — so a
// re-recording differs only where the engine's behaviour or a measurement (a duration, a latency) differs.
// `npm run build && npm run record-fixtures`
import { execFileSync, spawn } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startLoopbackServer } from '../__tests__/engine/loopback-server.ts';
import { startPlatform } from '../__tests__/support/platform.ts';
import { fixtureWorkspace } from '../__tests__/support/workspace.ts';

const ROOT = join(import.meta.dirname, '..');
const OUT = join(ROOT, '__tests__', 'fixtures', 'deployments');
const CLI = join(ROOT, 'dist', 'cli', 'index.js');
/** Every recorded run starts at this instant; its other times keep their offsets from the start. */
const FIXED_START = Date.parse('2026-11-26T13:00:00.000Z');
/** Stand-ins, by role, for the ports the servers really listened on. */
const PORTS = { staging: 8081, production: 8082, webhook: 8083 };
const SECRET = 'fixture-deploy-token-0123456789';

// ── the workspaces ────────────────────────────────────────────────────────────────────────────────────────────────

/** A real node:test suite with a JUnit report; BREAK_CART makes one test fail (with node's diff output). */
const CART_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
const total = (items) => items.reduce((sum, item) => sum + item.price * item.quantity, 0);
test('total of an empty cart is 0', () => assert.equal(total([]), 0));
test('total adds price × quantity', () => assert.deepEqual({ total: total([{ price: 20, quantity: 2 }, { price: 2, quantity: 1 }]) }, { total: process.env.BREAK_CART ? 44 : 42 }));
test('discounts', { skip: 'not implemented yet' }, () => {});
`;

function serviceConfig({ stagingUrl, productionUrl }) {
  return `version: 1
targets:
  web: {}
validate:
  tests:
    - { name: unit, run: "mkdir -p reports && node --test --test-reporter=junit --test-reporter-destination=reports/unit.xml --test-reporter=spec --test-reporter-destination=stdout test/cart.test.mjs", junit: reports/unit.xml }
    - { name: syntax, run: "node --check app.mjs && node --check build.mjs" }
  review:
    checks:
      - { name: syntax, category: correctness, run: "node --check build.mjs" }
      - { name: no eval, category: security, run: "! grep -n 'eval(' app.mjs" }
      - { name: bundle size, category: performance, run: "test $(wc -c < app.mjs) -lt 100000" }
  prerequisites:
    commands: ["node >=20", "git"]
    files: [app.mjs]
    env: [DEPLOY_TOKEN]
    disk: 1MiB
build:
  run: node build.mjs
  artifacts: ["dist/**"]
  max-size: 10MiB
environments:
  staging:
    url: ${stagingUrl}
    provider: local
    path: srv/staging
    smoke: { timeout: 2s, interval: 200ms, checks: [{ name: Health endpoint, http: "\${url}/healthz", status: 200, contains: ok }] }
  production:
    url: ${productionUrl}
    provider: local
    path: srv/production
    health:
      timeout: 2s
      interval: 200ms
      checks:
        - { name: Health endpoint, http: "\${url}/healthz", status: 200, contains: ok }
        - { name: Home page, http: "\${url}/", status: 200 }
verify:
  window: 1500ms
  interval: 100ms
  latency-p95: { max-ratio: 20 }
  probes: ["\${url}/"]
  probe-rate: 50
  smoke:
    - { name: Version endpoint, http: "\${url}/version", status: 200 }
finalize:
  release: false
  notify: [{ webhook: { url-env: DEPLOY_WEBHOOK } }]
`;
}

const GIT_DATES = { GIT_AUTHOR_DATE: '2026-11-26T12:00:00Z', GIT_COMMITTER_DATE: '2026-11-26T12:00:00Z' };

function git(cwd, env, ...args) {
  execFileSync('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.invalid', ...args], { cwd, env: { ...process.env, ...env, ...GIT_DATES } });
}

/** The fixture service in a git repository, its environments served by the demo platform, a webhook listening. */
async function serviceWorkspace() {
  const workspace = await fixtureWorkspace();
  const home = await mkdtemp(join(tmpdir(), 'record-home-'));
  const env = { HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
  await mkdir(join(workspace, 'test'));
  await writeFile(join(workspace, 'test', 'cart.test.mjs'), CART_TEST);
  // The config (it holds this run's ports) stays out of the commit, so the commit sha is the same at every recording.
  await writeFile(join(workspace, '.gitignore'), 'srv/\n.meta-deploy/\ndist/\nreports/\n.github/\n');
  git(workspace, env, 'init', '-q', '-b', 'main');
  git(workspace, env, 'add', '-A');
  git(workspace, env, 'commit', '-q', '-m', 'feat: cart totals');
  const staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
  const production = await startPlatform(join(workspace, 'srv', 'production'), 'production');
  const webhook = await startLoopbackServer((request, response) => request.resume().on('end', () => response.writeHead(204).end()));
  const webhookPort = new URL(webhook.url).port;
  await mkdir(join(workspace, '.github'));
  await writeFile(join(workspace, '.github', 'meta-deploy.yml'), serviceConfig({ stagingUrl: staging.url, productionUrl: production.url }));
  return {
    workspace,
    env: { ...env, DEPLOY_TOKEN: SECRET, DEPLOY_WEBHOOK: `${webhook.url}/hooks/deploy` },
    ports: { [staging.port]: PORTS.staging, [production.port]: PORTS.production, [webhookPort]: PORTS.webhook },
    async close() {
      await staging[Symbol.asyncDispose]();
      await production[Symbol.asyncDispose]();
      await webhook[Symbol.asyncDispose]();
    },
  };
}

/** Writes executable bash scripts into the workspace. */
function scriptIn(workspace) {
  return async (name, body) => {
    await writeFile(join(workspace, name), `#!/usr/bin/env bash\nset -eo pipefail\n${body}\n`);
    await chmod(join(workspace, name), 0o755);
  };
}

/** Command-provider scripts whose rollback is refused: production stays on the broken release. */
async function refusedRollbackWorkspace() {
  const workspace = await mkdtemp(join(tmpdir(), 'record-refused-'));
  const script = scriptIn(workspace);
  await script('deploy.sh', 'echo "deploying $META_DEPLOY_VERSION"\necho "$META_DEPLOY_VERSION" > current');
  await script('rollback.sh', 'echo "restoring $META_DEPLOY_SNAPSHOT_ID"\necho "rollback refused: release directory is locked by another deploy" >&2\nexit 1');
  await script('snapshot.sh', 'cat current 2>/dev/null || true');
  await mkdir(join(workspace, '.github'));
  await writeFile(
    join(workspace, '.github', 'meta-deploy.yml'),
    `version: 1
validate:
  tests:
    - { name: unit, run: "true" }
environments:
  production:
    deploy: ./deploy.sh
    rollback: ./rollback.sh
    snapshot: ./snapshot.sh
    health:
      timeout: 600ms
      interval: 100ms
      checks:
        - { name: Not the broken release, run: 'test "$(cat current)" != 1.1.0' }
finalize: { changelog: false, release: false }
`,
  );
  return { workspace, env: {}, ports: {}, close: async () => {} };
}

/** Staging's smoke checks fail on 1.1.0 and its rollback is refused; production, never reached, stays on 1.0.0. */
async function refusedStagingRollbackWorkspace() {
  const workspace = await mkdtemp(join(tmpdir(), 'record-refused-staging-'));
  const script = scriptIn(workspace);
  await script('deploy.sh', 'echo "deploying $META_DEPLOY_VERSION to $META_DEPLOY_ENVIRONMENT"\necho "$META_DEPLOY_VERSION" > "current-$META_DEPLOY_ENVIRONMENT"');
  await script('rollback.sh', 'echo "restoring $META_DEPLOY_SNAPSHOT_ID"\nif [ "$META_DEPLOY_ENVIRONMENT" = staging ]; then echo "rollback refused: staging host is read-only" >&2; exit 1; fi\necho "$META_DEPLOY_SNAPSHOT_ID" > "current-$META_DEPLOY_ENVIRONMENT"');
  await script('snapshot.sh', 'cat "current-$META_DEPLOY_ENVIRONMENT" 2>/dev/null || true');
  const environment = (name, gate) => `  ${name}:
    deploy: ./deploy.sh
    rollback: ./rollback.sh
    snapshot: ./snapshot.sh
    ${gate}:
      timeout: 600ms
      interval: 100ms
      checks:
        - { name: Not the broken release, run: 'test "$(cat current-${name})" != 1.1.0' }
`;
  await mkdir(join(workspace, '.github'));
  await writeFile(
    join(workspace, '.github', 'meta-deploy.yml'),
    `version: 1
validate:
  tests:
    - { name: unit, run: "true" }
environments:
${environment('staging', 'smoke')}${environment('production', 'health')}finalize: { changelog: false, release: false }
`,
  );
  return { workspace, env: {}, ports: {}, close: async () => {} };
}

/** The shipped example config in a git repository: one commit, or (`released`) a v1.2.3 tag then a feat commit. */
async function exampleWorkspace({ released }) {
  const workspace = await mkdtemp(join(tmpdir(), 'record-plan-'));
  const env = { HOME: await mkdtemp(join(tmpdir(), 'record-home-')), GIT_CONFIG_NOSYSTEM: '1' };
  await mkdir(join(workspace, '.github'));
  await copyFile(join(ROOT, 'examples', 'meta-deploy.example.yml'), join(workspace, '.github', 'meta-deploy.yml'));
  git(workspace, env, 'init', '-q', '-b', 'main');
  git(workspace, env, 'add', '-A');
  git(workspace, env, 'commit', '-q', '-m', 'feat: storefront');
  if (released) {
    git(workspace, env, 'tag', '-a', 'v1.2.3', '-m', 'release 1.2.3');
    git(workspace, env, 'commit', '-q', '--allow-empty', '-m', 'feat: search');
  }
  return { workspace, env, ports: {}, close: async () => {} };
}

// ── running the CLI ───────────────────────────────────────────────────────────────────────────────────────────────

/** `meta-deploy run --version V --json` in the workspace; `cancelWhen`: SIGINT once stderr shows that line. */
function runCli(space, version, extraEnv = {}, cancelWhen) {
  return cli(space, ['run', '--version', version, '--json'], extraEnv, cancelWhen);
}

/** `meta-deploy <args>` printing JSON; `cancelWhen`: SIGINT once stderr shows that line. */
function cli(space, args, extraEnv = {}, cancelWhen) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: space.workspace,
      // The commands in the config run on the node that runs this script.
      env: { PATH: `${dirname(process.execPath)}:${process.env.PATH}`, ...space.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let cancelled = false;
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (cancelWhen && !cancelled && stderr.includes(cancelWhen)) {
        cancelled = true;
        child.kill('SIGINT');
      }
    });
    child.on('close', (code) => {
      if (cancelWhen && !cancelled) return reject(new Error(`never saw ${JSON.stringify(cancelWhen)}:\n${stderr}`));
      try {
        resolve({ code, report: JSON.parse(stdout) });
      } catch {
        reject(new Error(`${args.join(' ')} printed no JSON (exit ${code}):\n${stderr}`));
      }
    });
  });
}

// ── normalising ───────────────────────────────────────────────────────────────────────────────────────────────────

const ISO_TIME = /\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\b/g;
/** The time and random suffix of a run id (src/engine/run-id.ts): 20261130T144738.126Z-61e9d7 */
const RUN_ID_STAMP = /\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6}/;

function fixedStamp(iso) {
  return `${iso.replace(/[-:]/g, '')}-000000`;
}

/** The JSON report as a Deployment (no schemaVersion, no alert), with the volatile values replaced. */
function normalise(report, space) {
  const { schemaVersion: _version, alert: _alert, ...deployment } = report;
  return normaliseValues(deployment, space, {
    shiftMs: FIXED_START - Date.parse(deployment.startedAt),
    id: [deployment.id, deployment.id.replace(RUN_ID_STAMP, fixedStamp(new Date(FIXED_START).toISOString()))],
  });
}

/** Every string in `value` with temp paths, ports and times replaced (and the deployment id, when there is one). */
function normaliseValues(value, space, { shiftMs = 0, id } = {}) {
  const replacements = [
    ...(id ? [id] : []),
    [space.workspace, '/home/runner/work/shop'],
    [ROOT, '/opt/meta-deploy'],
    [process.execPath, 'node'],
    [tmpdir(), '/tmp'],
  ];
  const text = (value) => {
    let result = value;
    for (const [from, to] of replacements) result = result.split(from).join(to);
    result = result.replace(/127\.0\.0\.1:(\d+)/g, (match, port) => (space.ports[port] ? `127.0.0.1:${space.ports[port]}` : match));
    result = result.replace(/^\d+(?:\.\d+)? [KMGT]?i?B free$/, '50 GiB free'); // this machine's disk
    return result.replace(ISO_TIME, (iso) => new Date(Date.parse(iso) + shiftMs).toISOString());
  };
  const walk = (value) => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
    return value;
  };
  return walk(value);
}

// ── the scenarios ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Each: a workspace, a first release 1.0.0 that succeeds, then the recorded run of 1.1.0. */
const SCENARIOS = {
  success: { workspace: serviceWorkspace },
  'validate-failure': { workspace: serviceWorkspace, env: { BREAK_CART: '1' } },
  'staging-smoke-failure': { workspace: serviceWorkspace, env: { FIXTURE_MODE: 'broken-everywhere' } },
  'production-health-rollback': { workspace: serviceWorkspace, env: { FIXTURE_MODE: 'broken-in-production' } },
  'verify-anomaly-rollback': { workspace: serviceWorkspace, env: { FIXTURE_MODE: 'degrades' } },
  'rollback-failed': { workspace: refusedRollbackWorkspace },
  'staging-rollback-failed': { workspace: refusedStagingRollbackWorkspace },
  'cancelled-in-verify': { workspace: serviceWorkspace, cancelWhen: '[verify] started' },
};

async function record(name, scenario) {
  const space = await scenario.workspace();
  try {
    const first = await runCli(space, '1.0.0');
    if (first.code !== 0) throw new Error(`${name}: the first release failed: ${first.report.reason}\n${JSON.stringify(first.report.stages, null, 1).slice(0, 3000)}`);
    const { report } = await runCli(space, '1.1.0', scenario.env, scenario.cancelWhen);
    const file = join(OUT, `${name}.json`);
    await writeFile(file, `${JSON.stringify(normalise(report, space), null, 2)}\n`);
    console.log(`${name}: ${report.result}${report.reason ? ` (${report.reason})` : ''} → ${file}`);
  } finally {
    await space.close();
  }
}

/** Each: `plan --json` with these arguments on the example workspace. */
const PLANS = {
  full: { released: false, args: ['--version', '1.2.3'] },
  'staging-only': { released: true, args: ['--environments', 'staging'] },
};

async function recordPlan(name, { released, args }) {
  const space = await exampleWorkspace({ released });
  const { report: plan } = await cli(space, ['plan', '--json', ...args]);
  const file = join(OUT, `plan-${name}.json`);
  await writeFile(file, `${JSON.stringify(normaliseValues(plan, space), null, 2)}\n`);
  console.log(`plan ${name}: ${plan.version} (${plan.versionSource}) → ${file}`);
}

const only = process.argv.slice(2);
for (const [name, scenario] of Object.entries(SCENARIOS)) {
  if (only.length === 0 || only.includes(name)) await record(name, scenario);
}
for (const [name, plan] of Object.entries(PLANS)) {
  if (only.length === 0 || only.includes(`plan-${name}`)) await recordPlan(name, plan);
}
