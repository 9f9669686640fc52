// `npm run demo` — the whole pipeline on this machine, nothing else installed: the sample service is tested,
// reviewed, built, deployed with the `local` provider to a staging and a production directory served on loopback
// ports, smoke- and health-checked, verified and finalized. `npm run demo -- --broken` deploys a release whose
// production health check fails, and shows production serving the previous version after the automatic rollback.
// State lives in examples/.demo/ (kept between runs, so --broken has a previous version); nothing is left running.
import { execFileSync, fork, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
// META_DEPLOY_DEMO_DIR lets the tests run the demo in a temporary folder.
const workspace = process.env.META_DEPLOY_DEMO_DIR ?? join(here, '.demo', 'workspace');
const cli = join(root, 'dist', 'cli', 'index.js');
const broken = process.argv.includes('--broken');
const children = [];

function git(...args) {
  return execFileSync('git', ['-c', 'user.name=Demo', '-c', 'user.email=demo@example.invalid', ...args], { cwd: workspace, encoding: 'utf8' });
}

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function startPlatform(environment, port, config) {
  return new Promise((resolve, reject) => {
    const child = fork(join(here, 'platform', 'serve.mjs'), [join(workspace, 'srv', environment), String(port), environment, JSON.stringify(config)], { stdio: 'inherit' });
    children.push(child);
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${environment} platform exited with ${code}`)));
  });
}

function startWebhookReceiver() {
  const received = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk)).on('end', () => {
      received.push(JSON.parse(body || '{}'));
      response.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, received, url: `http://127.0.0.1:${server.address().port}/hooks/deploy` })));
}

function config(stagingPort, productionPort) {
  const checks = (port) => `
        - { name: Health endpoint, http: "\${url}/healthz", status: 200, contains: ok, max-latency: 500ms }
        - { name: Home page, http: "\${url}/", contains: hello }
        - { name: Port open, tcp: "127.0.0.1:${port}" }`;
  return `# Written by examples/demo.mjs for this run's loopback ports.
version: 1
targets:
  web: {}
validate:
  tests:
    - { name: unit, run: "mkdir -p reports && node --test --test-reporter=junit --test-reporter-destination=reports/unit.xml test/app.test.mjs", junit: reports/unit.xml }
  review:
    approvals: 0
    checks:
      - { name: syntax, category: correctness, run: "node --check app.mjs && node --check build.mjs" }
      - { name: no eval, category: security, run: "! grep -n 'eval(' app.mjs" }
      - { name: small bundle, category: performance, run: "test $(wc -c < app.mjs) -lt 20000" }
  prerequisites:
    commands: ["node >=20", "git"]
    files: [app.mjs, build.mjs]
    disk: 10MiB
    reachable: ["http://127.0.0.1:${stagingPort}/"]
build:
  run: node build.mjs
  artifacts: ["dist/**"]
  max-size: 1MiB
  secrets-scan: true
environments:
  staging:
    url: http://127.0.0.1:${stagingPort}
    provider: local
    path: srv/staging
    keep: 3
    smoke:
      timeout: 10s
      interval: 500ms
      checks:${checks(stagingPort)}
  production:
    url: http://127.0.0.1:${productionPort}
    provider: local
    path: srv/production
    keep: 5
    health:
      timeout: 4s
      interval: 500ms
      checks:${checks(productionPort)}
verify:
  window: 3s
  interval: 250ms
  error-rate: { max: 0.01, max-increase: 0.005 }
  latency-p95: { max-ratio: 3 }
  probes: ["\${url}/", "\${url}/healthz"]
  probe-rate: 40
  smoke:
    - { name: Version endpoint, http: "\${url}/version", status: 200 }
finalize:
  tag: "v\${version}"
  changelog: true
  notify:
    - { webhook: { url-env: DEMO_WEBHOOK_URL } }
`;
}

function runCli(args, env) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: workspace, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function get(url) {
  try {
    const response = await fetch(url);
    return `${response.status} ${(await response.text()).trim()}`;
  } catch (error) {
    return `unreachable (${error.cause?.code ?? error.message})`;
  }
}

async function main() {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build`);
  mkdirSync(workspace, { recursive: true });
  cpSync(join(here, 'sample-service'), workspace, { recursive: true });
  if (!existsSync(join(workspace, '.git'))) {
    git('init', '-q', '-b', 'main');
    writeFileSync(join(workspace, '.gitignore'), 'dist/\nreports/\nsrv/\n.meta-deploy/\n.github/\n');
  }
  git('add', '-A');
  const message = broken ? 'fix: read the payments settings at start-up' : 'feat: sample service';
  git('commit', '-q', '--allow-empty', '-m', message);

  const [stagingPort, productionPort] = [await freePort(), await freePort()];
  await startPlatform('staging', stagingPort, { PAYMENTS_API_URL: 'http://payments.sandbox.invalid' });
  await startPlatform('production', productionPort, {});
  const webhook = await startWebhookReceiver();
  mkdirSync(join(workspace, '.github'), { recursive: true });
  writeFileSync(join(workspace, '.github', 'meta-deploy.yml'), config(stagingPort, productionPort));
  console.log(`demo: staging on http://127.0.0.1:${stagingPort}, production on http://127.0.0.1:${productionPort}, workspace ${workspace}\n`);

  const env = { DEMO_WEBHOOK_URL: webhook.url };
  if (broken && !existsSync(join(workspace, 'srv', 'production', 'current'))) {
    console.log('demo: production is empty; first deploying a healthy release so there is something to roll back to.\n');
    const first = await runCli(['run'], env);
    if (first !== 0) return first;
    git('commit', '-q', '--allow-empty', '-m', 'fix: read the payments settings at start-up');
  }
  const before = await get(`http://127.0.0.1:${productionPort}/version`);
  const code = await runCli(['run'], broken ? { ...env, DEMO_BROKEN: '1' } : env);
  const after = await get(`http://127.0.0.1:${productionPort}/version`);
  console.log(`\ndemo: production /version before: ${before}; after: ${after}`);
  console.log(`demo: webhook notifications received: ${webhook.received.length}; exit code ${code}`);
  webhook.server.close();
  return code;
}

function stopAll() {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}

main()
  .then((code) => {
    stopAll();
    process.exitCode = code;
  })
  .catch((error) => {
    stopAll();
    console.error(`demo: ${error.message}`);
    process.exitCode = 1;
  });
