// `npm run bench`: what the orchestrator adds to the user's own commands, measured on this machine.
//  1. per-step overhead: N sequential steps through meta-deploy's process runner vs the same commands from bash;
//  2. a parallel validation stage of three 1-second branches (tests, review, prerequisites) vs the 1-second ideal;
//  3. a whole pipeline of trivial commands through the bundled CLI, end to end;
//  4. verdict quality: simulated noisy releases judged by the compiled judge (scripts/bench-verdicts.mjs), then
//     releases deployed end to end through dist/cli to a noisy loopback service (scripts/bench-verify-e2e.mjs);
//  5. the GitHub features: API calls of a full push run and the time they add (scripts/bench-github.mjs);
//  6. build integrity: the build's copy + SHA-256 against openssl and sha256sum, the secret scan's throughput, and
//     their peak memory (scripts/bench-artifacts.mjs, scripts/bench-scan.mjs).
// `npm run bench -- --readme` also writes the figures into README.md between the bench, verdicts, github and
// artifacts markers.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const root = join(import.meta.dirname, '..');
const STEPS = 100;
const REPEATS = 5;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', root, '--outDir', join(root, 'build'), '--noEmit', 'false'], { stdio: 'inherit' });
// tsc emits TypeScript only: bring the precompiled schema validator along.
copyFileSync(join(root, 'src', 'config', 'schema-validator.generated.js'), join(root, 'build', 'src', 'config', 'schema-validator.generated.js'));
const load = (path) => import(join(root, 'build', 'src', path));
const { createProcessRunner } = await load('exec/run-command.js');
const { parseConfig } = await load('config/load.js');
const { resolveInputs } = await load('plan/inputs.js');
const { planDeploy } = await load('plan/plan-deploy.js');
const { runDeploy } = await load('engine/run-deploy.js');
const { createDefaultIo } = await load('engine/default-io.js');
const { runJournal } = await load('engine/run-journal.js');
const { createMasker } = await load('exec/mask.js');
const noSecrets = createMasker([]);

const workspace = mkdtempSync(join(tmpdir(), 'meta-deploy-bench-'));
const quiet = { stageStarted() {}, progress() {}, output() {}, stageFinished() {}, finished() {} };

// 1. Per-step overhead.
async function perStep() {
  const runner = createProcessRunner({ mask: noSecrets });
  const ours = [];
  const bash = [];
  const script = join(workspace, 'steps.sh');
  writeFileSync(script, `for i in $(seq ${STEPS}); do bash -eo pipefail -c 'echo step $i' >/dev/null; done\n`);
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    let start = performance.now();
    for (let step = 0; step < STEPS; step++) await runner({ command: `echo step ${step}`, cwd: workspace, env: {}, label: 'bench' });
    ours.push((performance.now() - start) / STEPS);
    start = performance.now();
    spawnSync('bash', [script]);
    bash.push((performance.now() - start) / STEPS);
  }
  return { ours: median(ours), bash: median(bash) };
}

// 2. Parallel validation stage: three branches of one second each.
async function parallelStage() {
  const server = createServer((request, response) => setTimeout(() => response.end('ok'), 1000));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const config = parseConfig(
    `version: 1
validate:
  tests: [{ name: slow tests, run: sleep 1 }]
  review: { checks: [{ name: slow review, category: correctness, run: sleep 1 }] }
  prerequisites: { reachable: ["http://127.0.0.1:${server.address().port}/"] }
environments:
  staging: { deploy: "true", rollback: "true", smoke: { checks: [{ name: up, run: "true" }] } }
`,
    join(workspace, 'bench.yml'),
  );
  if (!config.ok) throw new Error(JSON.stringify(config.problems));
  const walls = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const inputs = resolveInputs({ version: '1.0.0', environments: 'staging' }, config.config);
    const plan = await planDeploy(config.config, inputs.inputs, { workspace });
    const journal = runJournal(plan.stateDir);
    const deployment = await runDeploy(plan, {
      io: createDefaultIo(noSecrets, undefined, journal.commandGroups),
      observer: quiet,
      inFlight: journal,
      env: process.env,
      signal: new AbortController().signal,
      mask: noSecrets,
      cli: 'meta-deploy',
    });
    if (deployment.stages.validate.status !== 'passed') throw new Error(`validate ${deployment.stages.validate.status}: ${deployment.reason}`);
    walls.push(deployment.stages.validate.durationMs);
  }
  server.close();
  return median(walls);
}

// 3. A whole pipeline of trivial commands through the bundled CLI, against a bash script running the same commands.
const PIPELINE_COMMANDS = 9; // test, review check, build, staging snapshot + deploy + smoke check, production snapshot + deploy + health check
function wholePipeline() {
  const dir = join(workspace, 'pipeline');
  mkdirSync(join(dir, 'out'), { recursive: true });
  writeFileSync(join(dir, 'out', 'app.txt'), 'app');
  writeFileSync(
    join(dir, 'meta-deploy.yml'),
    `version: 1
validate: { tests: [{ name: unit, run: "true" }], review: { checks: [{ name: lint, category: correctness, run: "true" }] } }
build: { run: "true", artifacts: ["out/**"] }
environments:
  staging: { deploy: "true", rollback: "true", snapshot: "echo 1.0.0", smoke: { checks: [{ name: up, run: "true" }] } }
  production: { deploy: "true", rollback: "true", snapshot: "echo 1.0.0", health: { checks: [{ name: up, run: "true" }] } }
finalize: { changelog: false }
`,
  );
  const script = join(dir, 'same-commands.sh');
  writeFileSync(script, `for c in true true true 'echo 1.0.0' true true 'echo 1.0.0' true true; do bash -eo pipefail -c "$c" >/dev/null; done\n`);
  const ours = [];
  const bash = [];
  const startup = [];
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    // Fixed cost of any invocation: Node start-up, loading the bundle, loading and validating the config.
    let start = performance.now();
    spawnSync(process.execPath, [join(root, 'dist', 'cli', 'index.js'), 'validate', '--config', 'meta-deploy.yml'], { cwd: dir });
    startup.push(performance.now() - start);
    start = performance.now();
    const result = spawnSync(process.execPath, [join(root, 'dist', 'cli', 'index.js'), 'run', '--config', 'meta-deploy.yml', '--version', `1.0.${repeat + 1}`], { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stdout + result.stderr);
    ours.push(performance.now() - start);
    start = performance.now();
    spawnSync('bash', [script]);
    bash.push(performance.now() - start);
  }
  return { ours: median(ours), bash: median(bash), startup: median(startup) };
}

const step = await perStep();
const parallel = await parallelStage();
const pipeline = wholePipeline();
const overhead = step.ours - step.bash;
const lines = [
  `| measurement | meta-deploy | baseline | difference |`,
  `|---|---|---|---|`,
  `| one step (\`bash -eo pipefail -c\`, median of ${REPEATS}×${STEPS}) | ${step.ours.toFixed(2)} ms | ${step.bash.toFixed(2)} ms (bash loop) | ${overhead >= 0 ? '+' : ''}${overhead.toFixed(2)} ms per step |`,
  `| validation stage, three 1 s branches in parallel | ${parallel.toFixed(0)} ms | 1000 ms (slowest branch) | +${((parallel / 1000 - 1) * 100).toFixed(1)} % |`,
  `| fixed start-up of any run: Node, the bundle, loading + validating the config (\`meta-deploy validate\`) | ${pipeline.startup.toFixed(0)} ms | — | once per run |`,
  `| whole pipeline via \`dist/cli\`: ${PIPELINE_COMMANDS} trivial commands in 6 stages, records, report | ${pipeline.ours.toFixed(0)} ms | ${pipeline.bash.toFixed(0)} ms (bash script, same commands) + ${pipeline.startup.toFixed(0)} ms start-up | +${((pipeline.ours - pipeline.bash - pipeline.startup) / PIPELINE_COMMANDS).toFixed(1)} ms per command |`,
];
const goals = `Goals: overhead under 10 ms per step → ${overhead < 10 ? 'met' : 'NOT met'}; a parallel stage within 10 % of its slowest branch → ${parallel <= 1100 ? 'met' : 'NOT met'}.`;
const report = `Measured ${new Date().toISOString().slice(0, 10)} on ${process.platform}/${process.arch} (2 cores), Node ${process.version}, medians:\n\n${lines.join('\n')}\n\n${goals}`;
console.log(report);

// 4. Verdict quality.
const { benchVerdicts } = await import('./bench-verdicts.mjs');
const { judgeMetric } = await load('metrics/judge.js');
const simulated = benchVerdicts(judgeMetric);
console.log(`\n${simulated}`);
const { E2E_SETTINGS, verifyEndToEnd } = await import('./bench-verify-e2e.mjs');
const e2eStarted = performance.now();
const e2e = await verifyEndToEnd();
const e2eRows = e2e.map(
  (row) =>
    `| ${row.effect} | ${row.releases} | ${row.good ? `${Math.round(row.rate * row.releases)} false (${(row.rate * 100).toFixed(1)} %)` : `${(row.rate * 100).toFixed(1)} %`} | ${row.medianDetectMs === undefined ? '—' : `${(row.medianDetectMs / 1000).toFixed(1)} s`} | ${(row.inconclusive * 100).toFixed(0)} % |`,
);
const unexpected = e2e.flatMap((row) => row.unexpected.map((reason) => `- ${row.effect}: ${reason}`));
const endToEnd = [
  `End to end: ${e2e.reduce((n, row) => n + row.releases, 0)} releases deployed through \`dist/cli\` in ${((performance.now() - e2eStarted) / 60_000).toFixed(1)} min to a loopback service with the same noise (${E2E_SETTINGS}).`,
  '',
  '| release | releases | rolled back | median time in verify when rolled back | a metric inconclusive at the end |',
  '|---|---|---|---|---|',
  ...e2eRows,
  ...(unexpected.length ? ['', 'Unexpected outcomes:', ...unexpected] : ['', 'Every good release passed and every bad one was rolled back.']),
].join('\n');
console.log(`\n${endToEnd}`);

// 5. What the GitHub features cost.
const { benchGitHub } = await import('./bench-github.mjs');
const github = await benchGitHub();
console.log(`\n${github}`);

// 6. Build integrity.
const { benchHashing } = await import('./bench-artifacts.mjs');
const { benchScan } = await import('./bench-scan.mjs');
const artifacts = `${await benchHashing()}\n\n${await benchScan()}`;
console.log(`\n${artifacts}`);

if (process.argv.includes('--readme')) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
    .replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${report}\n<!-- bench:end -->`)
    .replace(/<!-- verdicts:start -->[\s\S]*<!-- verdicts:end -->/, `<!-- verdicts:start -->\n${simulated}\n\n${endToEnd}\n<!-- verdicts:end -->`)
    .replace(/<!-- github:start -->[\s\S]*<!-- github:end -->/, `<!-- github:start -->\n${github}\n<!-- github:end -->`)
    .replace(/<!-- artifacts:start -->[\s\S]*<!-- artifacts:end -->/, `<!-- artifacts:start -->\n${artifacts}\n<!-- artifacts:end -->`);
  writeFileSync(join(root, 'README.md'), readme);
}
