// The bundled action (dist/index.js and dist/post/index.js) run exactly as the runner runs it, against the fixture
// service served on loopback by the demo platform.
import { execSync } from 'node:child_process';
import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startPlatform } from '../support/platform.js';
import { runNode, runnerFiles } from '../support/runner-files.js';
import { fixtureWorkspace, serviceConfig, writeConfig } from '../support/workspace.js';

async function setUp() {
  const workspace = await fixtureWorkspace();
  const staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
  const production = await startPlatform(join(workspace, 'srv', 'production'), 'production');
  return { workspace, staging, production };
}

async function deploy(workspace: string, version: string, env: Record<string, string> = {}) {
  const runner = await runnerFiles(workspace, { version, 'github-token': '' });
  const result = await runNode('dist/index.js', { ...runner.env, ...env });
  return { result, outputs: await runner.outputs(), summary: await runner.summary(), runner };
}

/** The run journal the main step keeps in the state dir (engine/run-journal.ts), or undefined once it is removed. */
async function journal(workspace: string): Promise<{ runId: string; inFlight?: { phase: string; phaseStartedAt: string } } | undefined> {
  return readFile(join(workspace, '.meta-deploy', 'run-journal.json'), 'utf8').then((text) => JSON.parse(text), () => undefined);
}

async function records(workspace: string) {
  const text = await readFile(join(workspace, '.meta-deploy', 'records.jsonl'), 'utf8');
  return text.trim().split('\n').map((line) => JSON.parse(line) as { version: string; result: string; deployedTo: string[] });
}

describe('action (dist/index.js)', () => {
  test('deploys through all six stages and reports success in outputs, summary and record', async () => {
    const { workspace, staging, production } = await setUp();
    await using _s = staging;
    await using _p = production;
    await writeConfig(workspace, serviceConfig({ stagingUrl: staging.url, productionUrl: production.url }));

    const { result, outputs, summary } = await deploy(workspace, '1.0.0');

    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(outputs).toMatchObject({ result: 'success', 'failed-stage': '', version: '1.0.0' });
    expect(Number(outputs['duration-seconds'])).toBeGreaterThanOrEqual(0);
    const report = JSON.parse(await readFile(outputs.report!, 'utf8'));
    expect(report.result).toBe('success');
    // A first deployment has no baseline to compare latency with: verify passes with that warning.
    expect(Object.values(report.stages).map((stage: any) => stage.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'warning', 'passed']);
    expect(report.stages.verify.data.warnings).toEqual([expect.stringContaining('latency-p95: no baseline, nothing ran before this first deployment')]);
    // The seed's tables, filled with this run's figures (taken from the JSON report of the same run).
    expect(summary.split('\n')[0]).toBe('## ✅ SUCCESS — web 1.0.0');
    for (const stage of ['Validation', 'Build', 'Staging', 'Production', 'Finalize']) {
      expect(summary).toMatch(new RegExp(`^\\| ${stage} \\| ✅ passed \\|`, 'm'));
    }
    expect(summary).toMatch(/^\| Verification \| ⚠️ warning \|/m);
    expect(summary).toContain('**Warnings:**');
    for (const artifact of report.stages.build.data.artifacts) {
      expect(summary).toContain(`| \`${artifact.path}\` |`);
      expect(summary).toContain(`\`${artifact.sha256}\``);
    }
    expect(report.stages.build.data.artifacts.map((artifact: any) => artifact.path).sort()).toEqual(['app.mjs', 'release.json']);
    expect(summary).toMatch(/\*\*Smoke tests\*\* — Time elapsed: .* \/ 2s/);
    expect(summary).toMatch(/\| Health endpoint \| ✅ pass \| HTTP 200/);
    expect(summary).toMatch(/\| Error rate \| probes \| not measured \| 0\.00% \(n=\d+\) \|/); // first deployment: no baseline to compare with
    expect(summary).toMatch(/\| Throughput \| — \| not measured/);
    expect(summary).toContain('**Deployment Result:** SUCCESS');
    expect(await production.get('/version')).toEqual({ status: 200, body: '1.0.0' });
    expect(await records(workspace)).toEqual([expect.objectContaining({ version: '1.0.0', result: 'success', deployedTo: ['staging', 'production'] })]);
  });

  test('aborts on a staging smoke failure, rolls staging back and leaves production untouched', async () => {
    const { workspace, staging, production } = await setUp();
    await using _s = staging;
    await using _p = production;
    await writeConfig(workspace, serviceConfig({ stagingUrl: staging.url, productionUrl: production.url }));
    expect((await deploy(workspace, '1.0.0')).outputs.result).toBe('success');

    const { result, outputs, summary } = await deploy(workspace, '1.1.0', { FIXTURE_MODE: 'broken-everywhere' });

    expect(result.code).toBe(1);
    expect(outputs).toMatchObject({ result: 'failed', 'failed-stage': 'staging' });
    expect(summary).toContain('FAILED');
    expect(summary).toMatch(/Production \| .*not run/i);
    expect(summary).toContain('HTTP 500');
    expect(await staging.get('/version')).toEqual({ status: 200, body: '1.0.0' });
    expect(await production.get('/version')).toEqual({ status: 200, body: '1.0.0' });
    expect(await readlink(join(workspace, 'srv', 'production', 'current'))).toContain('1.0.0');
    expect((await records(workspace)).at(-1)).toMatchObject({ version: '1.1.0', result: 'failed', deployedTo: [] });
  });

  test('rolls production back when its health check fails, and production serves the previous version', async () => {
    const { workspace, staging, production } = await setUp();
    await using _s = staging;
    await using _p = production;
    await writeConfig(workspace, serviceConfig({ stagingUrl: staging.url, productionUrl: production.url }));
    expect((await deploy(workspace, '1.0.0')).outputs.result).toBe('success');

    const { result, outputs, summary } = await deploy(workspace, '1.1.0', { FIXTURE_MODE: 'broken-in-production' });

    expect(result.code).toBe(1);
    expect(outputs).toMatchObject({ result: 'rolled-back', 'failed-stage': 'production', 'snapshot-id': '1.0.0', 'previous-version': '1.0.0' });
    expect(summary).toContain('ROLLED BACK');
    expect(summary).toContain('HTTP 503');
    expect(await production.get('/version')).toEqual({ status: 200, body: '1.0.0' });
    expect(await staging.get('/version')).toEqual({ status: 200, body: '1.1.0' });
    const last = (await records(workspace)).at(-1);
    expect(last).toMatchObject({ version: '1.1.0', result: 'rolled-back', deployedTo: ['staging'] });
  });

  test('rolls production back when verification sees the error rate rise after a healthy deploy', async () => {
    const { workspace, staging, production } = await setUp();
    await using _s = staging;
    await using _p = production;
    await writeConfig(workspace, serviceConfig({ stagingUrl: staging.url, productionUrl: production.url, verifyWindow: '3s' }));
    expect((await deploy(workspace, '1.0.0')).outputs.result).toBe('success');

    const { result, outputs, summary } = await deploy(workspace, '1.1.0', { FIXTURE_MODE: 'degrades' });

    expect(result.code).toBe(1);
    expect(outputs).toMatchObject({ result: 'rolled-back', 'failed-stage': 'verify' });
    expect(summary).toMatch(/error rate/i);
    const report = JSON.parse(await readFile(outputs.report!, 'utf8'));
    expect(report.stages.verify.data.anomalies[0].type).toBe('metric');
    expect(report.stages.verify.data.stoppedEarly).toBe(true);
    expect(summary).toMatch(/\| Error rate \| probes \| 0\.00% \(n=\d+\) \| \d+(\.\d+)?% \(n=\d+\) \|.*exact binomial.*❌ fail/);
    expect(await production.get('/version')).toEqual({ status: 200, body: '1.0.0' });
    expect((await records(workspace)).at(-1)).toMatchObject({ version: '1.1.0', result: 'rolled-back', deployedTo: ['staging'] });
  });

  test('post step rolls production back after the main step is killed between deploy and a healthy verdict', async () => {
    const { workspace, staging, production } = await setUp();
    await using _s = staging;
    await using _p = production;
    const hang = `
        - { name: Slow dependency, run: 'if [ -n "$HANG_HEALTH" ]; then touch health-started; sleep 60; fi' }`;
    await writeConfig(workspace, serviceConfig({ stagingUrl: staging.url, productionUrl: production.url, extraHealth: hang }));
    expect((await deploy(workspace, '1.0.0')).outputs.result).toBe('success');

    const runner = await runnerFiles(workspace, { version: '1.1.0', 'github-token': '' });
    let pid = 0;
    const main = runNode('dist/index.js', { ...runner.env, HANG_HEALTH: '1' }, { onStart: (p) => (pid = p) });
    await waitFor(() => readFile(join(workspace, 'health-started')).then(() => true, () => false));
    expect(await production.get('/version')).toEqual({ status: 200, body: '1.1.0' });
    process.kill(-pid, 'SIGKILL'); // the runner killing the job: the whole process group, no chance to clean up
    expect((await main).signal).toBe('SIGKILL');
    // The check's own process group (bash and its sleep) outlives its killed parent, as it would on a runner: end it.
    const leaders = execSync(`pgrep -f 'touch health-starte[d]' || true`, { encoding: 'utf8' }).split('\n').filter(Boolean);
    for (const leader of leaders) {
      try {
        process.kill(-Number(leader), 'SIGKILL');
      } catch {
        // Already gone.
      }
    }

    expect((await journal(workspace))?.inFlight?.phase).toBe('health-checking');
    const state = await runner.state();
    const stateEnv = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
    const post = await runNode('dist/post/index.js', { ...runner.env, ...stateEnv });

    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(post.stdout).toContain('production rolled back to 1.0.0 by the post step');
    expect(await production.get('/version')).toEqual({ status: 200, body: '1.0.0' });
  });

  test('post step after a kill during verify: says where the main step stopped, rolls back judged on the restored release, writes a summary and a record', { timeout: 60_000 }, async () => {
    const { workspace, staging, production } = await setUp();
    await using _s = staging;
    await using _p = production;
    // The check a user would write: production answers the version it should run, so it must see the restored one.
    const runsThisVersion = `
        - { name: Runs this version, run: "curl -fsS \${url}/version | grep -F \${version}" }`;
    const config = (verifyWindow: string) => serviceConfig({ stagingUrl: staging.url, productionUrl: production.url, extraHealth: runsThisVersion, verifyWindow });
    await writeConfig(workspace, config('1500ms'));
    expect((await deploy(workspace, '1.0.0')).outputs.result).toBe('success');
    await writeConfig(workspace, config('60s'));

    const runner = await runnerFiles(workspace, { version: '1.1.0', 'github-token': '' });
    let pid = 0;
    const main = runNode('dist/index.js', runner.env, { onStart: (p) => (pid = p) });
    // The phase is in the run journal as soon as verification starts.
    await waitFor(async () => (await journal(workspace))?.inFlight?.phase === 'verifying');
    const killed = (await journal(workspace))!;
    expect(await production.get('/version')).toEqual({ status: 200, body: '1.1.0' });
    process.kill(-pid, 'SIGKILL');
    expect((await main).signal).toBe('SIGKILL');

    const state = await runner.state();
    const stateEnv = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
    const post = await runNode('dist/post/index.js', { ...runner.env, ...stateEnv });

    expect(post.code, post.stdout + post.stderr).toBe(0);
    expect(post.stdout).toContain('::warning::meta-deploy: the main step stopped during production verification of web 1.1.0; finishing its run.');
    const reason = new RegExp(`^killed during production verification of 1\\.1\\.0 \\(pid \\d+, since ${killed.inFlight!.phaseStartedAt.replace(/\./g, '\\.')}\\); production rolled back to 1\\.0\\.0 by the post step$`);
    const notice = post.stdout.split('\n').find((line) => line.startsWith('::notice::'));
    expect(notice?.replace('::notice::meta-deploy: recovered a run that was ', '')).toMatch(reason);
    expect(await production.get('/version')).toEqual({ status: 200, body: '1.0.0' });
    const summary = await runner.summary();
    expect(summary.split('\n')[0]).toBe('## ↩️ ROLLED BACK (post step) — web 1.1.0');
    expect(summary).toContain('| Main step | stopped during production verification |');
    expect(summary).toContain('| Snapshot | `1.0.0` |');
    expect(summary).toMatch(/\| Health after \| ✅ healthy after /);
    // The killed run itself is recorded, with what really happened to production.
    const record = (await records(workspace)).at(-1) as Record<string, unknown>;
    expect(record).toMatchObject({ id: killed.runId, version: '1.1.0', result: 'rolled-back', failedStage: 'verify', snapshotId: '1.0.0', deployedTo: ['staging'] });
    expect(record.reason).toMatch(reason);
    expect(await journal(workspace)).toBeUndefined();
    const history = await runNode('dist/cli/index.js', {}, { cwd: workspace, args: ['history'] });
    expect(history.stdout).toContain('by the post step');
  });

  test('post step does nothing after a main step that finished', async () => {
    const { workspace, staging, production } = await setUp();
    await using _s = staging;
    await using _p = production;
    await writeConfig(workspace, serviceConfig({ stagingUrl: staging.url, productionUrl: production.url }));
    const first = await deploy(workspace, '1.0.0');
    const state = await first.runner.state();
    expect(await journal(workspace)).toBeUndefined();
    const stateEnv = Object.fromEntries(Object.entries(state).map(([name, value]) => [`STATE_${name}`, value]));
    const post = await runNode('dist/post/index.js', { ...first.runner.env, ...stateEnv });
    expect(post.code).toBe(0);
    expect(post.stdout).toContain('nothing to do');
    expect(await production.get('/version')).toEqual({ status: 200, body: '1.0.0' });
  });
});

describe('action (dist/index.js): dry run and workflow_dispatch', () => {
  test('dry-run prints the plan for the target the workflow_dispatch event chose, and runs nothing', async () => {
    const workspace = await fixtureWorkspace();
    await writeConfig(
      workspace,
      serviceConfig({ stagingUrl: 'http://127.0.0.1:9', productionUrl: 'http://127.0.0.1:9' }).replace('  web: {}', '  web: {}\n  api: { build: { run: "touch API_BUILT" } }'),
    );
    const runner = await runnerFiles(workspace, { 'dry-run': 'true', version: '4.5.6', 'github-token': '' }, { inputs: { target: 'api' } });
    const result = await runNode('dist/index.js', runner.env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await runner.outputs()).toMatchObject({ result: 'success', version: '4.5.6' });
    const summary = await runner.summary();
    expect(summary.split('\n')[0]).toBe('## 📋 DRY RUN — api 4.5.6');
    expect(summary).toContain('@orchestration');
    expect(summary).toContain('touch API_BUILT');
    await expect(readFile(join(workspace, 'API_BUILT'))).rejects.toThrow();
    await expect(readFile(join(workspace, '.meta-deploy', 'records.jsonl'))).rejects.toThrow();
  });

  test('on a release-tag push the version is the tag without its v', async () => {
    const workspace = await fixtureWorkspace();
    await writeConfig(workspace, serviceConfig({ stagingUrl: 'http://127.0.0.1:9', productionUrl: 'http://127.0.0.1:9' }));
    const runner = await runnerFiles(workspace, { 'dry-run': 'true', 'github-token': '' });
    const result = await runNode('dist/index.js', { ...runner.env, GITHUB_REF: 'refs/tags/v2.3.4' });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await runner.outputs()).toMatchObject({ result: 'success', version: '2.3.4' });
  });
});

describe('action (dist/index.js): security', () => {
  test('masks declared credentials in the log, summary, report and debug output', async () => {
    const { workspace, staging, production } = await setUp();
    await using _s = staging;
    await using _p = production;
    const secret = 'tok-8f3a9c1e77d2b5';
    const config = serviceConfig({ stagingUrl: staging.url, productionUrl: production.url })
      .replace('    commands: ["node >=20"]', '    env: [DEPLOY_TOKEN]\n    commands: ["node >=20"]')
      .replace('- { name: unit, run: "node --check app.mjs" }', '- { name: unit, run: "echo token=$DEPLOY_TOKEN; echo $DEPLOY_TOKEN >&2; exit 1" }');
    await writeConfig(workspace, config);
    const { result, outputs, summary } = await deploy(workspace, '1.0.0', { DEPLOY_TOKEN: secret });
    expect(outputs.result).toBe('failed');
    expect(result.stdout).toContain('token=***');
    // `::add-mask::` is how the runner learns the secret (it never reaches the log); every other line must be masked.
    const log = (result.stdout + result.stderr).split('\n').filter((line) => !line.startsWith('::add-mask::'));
    expect(result.stdout).toContain(`::add-mask::${secret}`);
    expect(log.join('\n')).not.toContain(secret);
    expect(summary).not.toContain(secret);
    expect(await readFile(outputs.report!, 'utf8')).not.toContain(secret);
    expect(await readFile(outputs.report!, 'utf8')).toContain('token=***');
  });

  test('a bad config gives one annotation per problem at its file, line and column, a summary, result=failed and exit 2', async () => {
    const workspace = await fixtureWorkspace();
    const config = serviceConfig({ stagingUrl: 'http://127.0.0.1:9', productionUrl: 'http://127.0.0.1:9' })
      .replace('      timeout: 2s\n', '      timeout: 2 parsecs\n')
      .replace('  tests:\n', '  tets:\n');
    await writeConfig(workspace, config);
    const lineOf = (text: string) => config.split('\n').findIndex((line) => line.includes(text)) + 1;
    const runner = await runnerFiles(workspace, { version: '1.0.0', 'github-token': '' });

    const result = await runNode('dist/index.js', runner.env);

    expect(result.code).toBe(2);
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error'));
    expect(errors).toEqual([
      `::error title=meta-deploy config,file=.github/meta-deploy.yml,line=${lineOf('tets:')},col=3::validate.tets: unknown key "tets" (did you mean "tests"?)`,
      expect.stringMatching(new RegExp(`^::error title=meta-deploy config,file=\\.github/meta-deploy\\.yml,line=${lineOf('2 parsecs')},col=16::environments\\.production\\.health\\.timeout: expected a duration`)),
    ]);
    expect(result.stdout).not.toContain('%0A');
    expect(await runner.outputs()).toEqual({ result: 'failed', 'failed-stage': 'validate' });
    const summary = await runner.summary();
    expect(summary.split('\n')[0]).toBe('## ❌ FAILED — the config is invalid; nothing ran');
    expect(summary).toContain('**2 problems in `.github/meta-deploy.yml`:** no command of any stage ran and nothing was deployed.');
    expect(summary).toContain(`| \`.github/meta-deploy.yml:${lineOf('2 parsecs')}:16\` | \`environments.production.health.timeout\` |`);
    await expect(readFile(join(workspace, 'dist', 'app.mjs'))).rejects.toThrow(); // the build never ran
  });

  test('a hostile target input is rejected before anything runs', async () => {
    const workspace = await fixtureWorkspace();
    await writeConfig(workspace, serviceConfig({ stagingUrl: 'http://127.0.0.1:9', productionUrl: 'http://127.0.0.1:9' }));
    const runner = await runnerFiles(workspace, { target: '$(touch PWNED)', version: '1.0.0' });
    const result = await runNode('dist/index.js', runner.env);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('::error::target "$(touch PWNED)" is not configured');
    await expect(readFile(join(workspace, 'PWNED'))).rejects.toThrow();
    expect(await runner.outputs()).toEqual({ result: 'failed', 'failed-stage': 'validate' });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
