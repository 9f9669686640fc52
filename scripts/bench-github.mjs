// What the GitHub features cost: a full push run of the bundled action (dist/index.js, run as the runner runs it)
// against the GitHub API stand-in on loopback (the one the tests use, compiled to build/ by bench.mjs), with every
// feature on — a merged pull request with an approval to count, the sticky comment, two deployments, the version from
// the API, a tag and a release — counting its API calls per route; and the same run with and without a token,
// alternated, for the time the GitHub features add.
import { execFileSync, fork, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from './bench-verify-e2e.mjs';

const root = join(import.meta.dirname, '..');
const TOKEN = 'ghs_bench-token';
const REPEATS = 5;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];


async function platform(dir, environment) {
  const port = await freePort();
  const child = fork(join(root, 'examples', 'platform', 'serve.mjs'), [dir, String(port), environment, '{}'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('message', resolve));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

function runAction(workspace, env) {
  const runner = mkdtempSync(join(tmpdir(), 'bench-runner-'));
  for (const file of ['output', 'state', 'summary.md']) writeFileSync(join(runner, file), '');
  writeFileSync(join(runner, 'event.json'), '{}');
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'dist', 'index.js')], {
      cwd: workspace,
      stdio: 'ignore',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: join(runner, 'output'),
        GITHUB_STATE: join(runner, 'state'),
        GITHUB_STEP_SUMMARY: join(runner, 'summary.md'),
        GITHUB_EVENT_PATH: join(runner, 'event.json'),
        GITHUB_EVENT_NAME: 'push',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REPOSITORY: 'acme/shop',
        GITHUB_SERVER_URL: 'http://github.test',
        GITHUB_RUN_ID: '1',
        RUNNER_TEMP: runner,
        ...env,
      },
    });
    child.on('exit', (code) => resolve({ code, ms: performance.now() - started }));
  });
}

export async function benchGitHub() {
  const { startGitHubApi } = await import(join(root, 'build', '__tests__', 'support', 'github-api', 'server.js'));
  const { serviceConfig } = await import(join(root, 'build', '__tests__', 'support', 'workspace.js'));
  const workspace = mkdtempSync(join(tmpdir(), 'bench-github-'));
  cpSync(join(root, '__tests__', 'fixtures', 'service'), workspace, { recursive: true });
  const staging = await platform(join(workspace, 'srv', 'staging'), 'staging');
  const production = await platform(join(workspace, 'srv', 'production'), 'production');
  mkdirSync(join(workspace, '.github'), { recursive: true });
  const config = serviceConfig({ stagingUrl: staging.url, productionUrl: production.url }).concat('finalize:\n  release: true\n');
  writeFileSync(join(workspace, '.github', 'meta-deploy.yml'), config.replace('    checks:\n      - { name: syntax', '    approvals: 1\n    checks:\n      - { name: syntax'));
  // Without a token approvals cannot be counted (the gate would fail): the timed pair runs without them.
  writeFileSync(join(workspace, '.github', 'timed.yml'), config);
  execFileSync('bash', ['-c', 'git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -qm bench'], { cwd: workspace });

  const github = await startGitHubApi({ token: TOKEN });
  try {
    // Each measured push is a new commit merged through its own pull request, approved, after the v1.0.0 tag.
    const [first] = github.state.addCommits(['feat: first release']);
    github.state.addTag('v1.0.0', first, 'v1.0.0');
    const push = (n) => {
      const [sha] = github.state.addCommits([`feat: change ${n} (#${100 + n})`]);
      github.state.addPull({ number: 100 + n, headSha: `${String(n).padStart(2, '0')}`.padEnd(40, 'a'), mergeCommitSha: sha });
      github.state.addReview(100 + n, { login: 'reviewer', state: 'APPROVED' });
      return sha;
    };

    const before = github.requests.length;
    const counted = await runAction(workspace, { GITHUB_API_URL: github.url, GITHUB_SHA: push(0), 'INPUT_GITHUB-TOKEN': TOKEN });
    const calls = github.requests.slice(before);
    const perRoute = new Map();
    for (const request of calls) perRoute.set(request.route ?? request.path, (perRoute.get(request.route ?? request.path) ?? 0) + 1);

    const withToken = [];
    const without = [];
    for (let repeat = 1; repeat <= REPEATS; repeat++) {
      const timed = { GITHUB_API_URL: github.url, INPUT_CONFIG: '.github/timed.yml' };
      without.push((await runAction(workspace, { ...timed, GITHUB_SHA: push(repeat), 'INPUT_GITHUB-TOKEN': '', INPUT_VERSION: `9.0.${repeat}` })).ms);
      withToken.push((await runAction(workspace, { ...timed, GITHUB_SHA: push(REPEATS + repeat), 'INPUT_GITHUB-TOKEN': TOKEN })).ms);
    }
    const added = median(withToken) - median(without);
    const rows = [...perRoute].sort((a, b) => b[1] - a[1]).map(([route, n]) => `| \`${route}\` | ${n} |`);
    return [
      `GitHub API on loopback (the OpenAPI-checked stand-in): one full push run (exit ${counted.code}; approvals counted, sticky comment, 2 deployments, version from the API, tag and release) made **${calls.length} API calls** (goal: at most 25 → ${calls.length <= 25 ? 'met' : 'NOT met'}); ${github.violations.length} requests GitHub would reject.`,
      '',
      '| route | calls |',
      '|---|---|',
      ...rows,
      '',
      `Time the GitHub features add to a run (the same push without approvals; median of ${REPEATS} runs each, alternated): ${median(withToken).toFixed(0)} ms with a token vs ${median(without).toFixed(0)} ms without → +${added.toFixed(0)} ms.`,
    ].join('\n');
  } finally {
    await github.stop();
    staging.stop();
    production.stop();
  }
}
