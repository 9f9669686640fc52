import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { DeployConfig, EnvironmentName } from '../../src/config/types.js';
import { STAGE_IDS } from '../../src/engine/model.js';
import type { DeploymentRecord } from '../../src/engine/records.js';
import { planDeploy } from '../../src/plan/plan-deploy.js';
import type { RunInputs } from '../../src/plan/inputs.js';
import type { ReleaseHistory, VersionTag } from '../../src/plan/release-history.js';
import type { Commit } from '../../src/plan/version.js';

const YAML = `version: 1
targets:
  web: {}
validate:
  tests:
    - { name: unit, run: npm test }
build:
  run: npm run build
  artifacts: ["dist/**"]
environments:
  staging:
    url: https://staging.example.com
    deploy: ./deploy.sh staging
    rollback: ./rollback.sh staging
    smoke: { checks: [{ name: Health endpoint, http: "\${url}/healthz" }] }
  production:
    url: https://example.com
    deploy: ./deploy.sh production
    rollback: ./rollback.sh production
    health: { checks: [{ name: Health endpoint, http: "\${url}/healthz" }] }
verify:
  window: 60s
  probes: ["\${url}/"]
`;

let workspace: string;
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'meta-deploy-plan-'));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

function config(yaml = YAML): DeployConfig {
  const loaded = parseConfig(yaml, join(workspace, '.github', 'meta-deploy.yml'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems, null, 2));
  return loaded.config;
}
function inputs(overrides: Partial<RunInputs> = {}): RunInputs {
  return { target: 'web', environments: ['staging', 'production'], dryRun: false, ...overrides };
}
function record(version: string, deployedTo: EnvironmentName[], target = 'web'): DeploymentRecord {
  return { id: `${target}-${version}`, target, version, environments: ['staging', 'production'], result: 'success', startedAt: '2026-01-01T00:00:00Z', deployedTo };
}

test('plans the six stages in pipeline order, all to run, each with a title, blocks and gates', async () => {
  const plan = await planDeploy(config(), inputs({ version: '1.2.3' }), { workspace, sha: 'abc' });
  expect(plan.stages.map((stage) => stage.id)).toEqual([...STAGE_IDS]);
  expect(plan.stages.map((stage) => stage.id)).toEqual(['validate', 'build', 'staging', 'production', 'verify', 'finalize']);
  for (const stage of plan.stages) {
    expect(stage.run, stage.id).toBe(true);
    expect(stage.skipReason, stage.id).toBeUndefined();
    expect(stage.title, stage.id).not.toBe('');
    expect(stage.blocks.length, stage.id).toBeGreaterThan(0);
    expect(stage.gates.length, stage.id).toBeGreaterThan(0);
  }
  expect(plan.stages[0]!.gates).toEqual(['tests:pass', 'review:approved', 'prerequisites:met']);
  expect(plan.stages[0]!.blocks[0]!.mode).toBe('parallel');
  expect(plan).toMatchObject({
    target: 'web',
    version: '1.2.3',
    versionSource: 'input',
    sha: 'abc',
    environments: ['staging', 'production'],
    configFile: join(workspace, '.github', 'meta-deploy.yml'),
    workspace,
    stateDir: join(workspace, '.meta-deploy'),
    dryRun: false,
  });
  expect(plan.config.name).toBe('web');
});

test('a staging-only plan marks production and verify as not run, with a reason', async () => {
  const plan = await planDeploy(config(), inputs({ version: '1.2.3', environments: ['staging'] }), { workspace });
  const byId = Object.fromEntries(plan.stages.map((stage) => [stage.id, stage]));
  expect(byId['validate']!.run).toBe(true);
  expect(byId['build']!.run).toBe(true);
  expect(byId['staging']!.run).toBe(true);
  expect(byId['production']).toMatchObject({ run: false, skipReason: 'production not selected' });
  expect(byId['verify']).toMatchObject({ run: false, skipReason: 'production not selected' });
  expect(byId['finalize']!.run).toBe(true);
});

test('a config without a verify section plans verify as not run, saying why', async () => {
  const plan = await planDeploy(config(YAML.replace(/verify:[\s\S]*$/, '')), inputs({ version: '1.0.0' }), { workspace });
  expect(plan.stages.find((stage) => stage.id === 'verify')).toMatchObject({ run: false, skipReason: 'no verify section in the config' });
});

test('a given version is used as is (source input), without reading git', async () => {
  const plan = await planDeploy(config(), inputs({ version: '4.5.6' }), { workspace, ref: 'refs/tags/v9.9.9' });
  expect(plan.version).toBe('4.5.6');
  expect(plan.versionSource).toBe('input');
});

test('without a version, a tag ref gives the tag (source tag)', async () => {
  const plan = await planDeploy(config(), inputs(), { workspace, ref: 'refs/tags/v3.1.4' });
  expect(plan.version).toBe('3.1.4');
  expect(plan.versionSource).toBe('tag');
});

test('without a version or a git repository, the plan is for 0.1.0 (source first) with no previous version', async () => {
  const plan = await planDeploy(config(), inputs(), { workspace });
  expect(plan.version).toBe('0.1.0');
  expect(plan.versionSource).toBe('first');
  expect(plan.previousVersion).toBeUndefined();
  expect('sha' in plan).toBe(false);
});

test('previousVersion is the last version the records left running in production', async () => {
  const stateDir = join(workspace, '.meta-deploy');
  await mkdir(stateDir, { recursive: true });
  const lines = [record('1.0.0', ['staging', 'production']), record('1.1.0', ['staging', 'production']), record('1.2.0', ['staging']), record('7.0.0', ['production'], 'api')];
  await writeFile(join(stateDir, 'records.jsonl'), lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
  const plan = await planDeploy(config(), inputs({ version: '1.3.0' }), { workspace });
  expect(plan.previousVersion).toBe('1.1.0');
});

test('the records are read from a custom state-dir', async () => {
  await mkdir(join(workspace, 'var', 'deploy'), { recursive: true });
  await writeFile(join(workspace, 'var', 'deploy', 'records.jsonl'), `${JSON.stringify(record('2.0.0', ['staging', 'production']))}\n`);
  const plan = await planDeploy(config(`state-dir: var/deploy\n${YAML}`), inputs({ version: '2.1.0' }), { workspace });
  expect(plan.stateDir).toBe(join(workspace, 'var', 'deploy'));
  expect(plan.previousVersion).toBe('2.0.0');
});

test('without records, previousVersion falls back to the latest v* tag', async () => {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], { cwd: workspace });
  git('init', '-q');
  git('commit', '--allow-empty', '-q', '-m', 'chore: initial');
  git('tag', 'v1.4.0');
  git('commit', '--allow-empty', '-q', '-m', 'feat: more');
  const plan = await planDeploy(config(), inputs(), { workspace });
  expect(plan).toMatchObject({ version: '1.5.0', versionSource: 'commits', previousVersion: '1.4.0' });
});

/** A history as the GitHub API would answer it: tags and commits, no local clone needed. */
function remoteHistory(tags: VersionTag[], commits: Commit[], notes: string[] = []): ReleaseHistory {
  return { source: () => 'GitHub API', notes: () => notes, repositoryUrl: 'https://github.com/acme/shop', versionTags: async () => tags, commitsSince: async () => commits };
}

test('a given history answers instead of local git, and the plan says where the version was read', async () => {
  const commits = [{ sha: 'b'.repeat(40), subject: 'feat: search (#12)', body: '' }];
  const history = remoteHistory([{ name: 'v2.0.0', sha: 'a'.repeat(40) }], commits, ['only the latest 250 of 400 commits']);
  const plan = await planDeploy(config(), inputs(), { workspace, sha: 'b'.repeat(40), history });
  expect(plan).toMatchObject({ version: '2.1.0', versionSource: 'commits', versionFrom: 'GitHub API', versionNotes: ['only the latest 250 of 400 commits'], previousVersion: '2.0.0' });
  expect(plan.changes).toEqual({ previousTag: 'v2.0.0', commits });
  expect(plan.repositoryUrl).toBe('https://github.com/acme/shop');
});

test('a given version still reads the changes since the tag below it (the release notes)', async () => {
  const commits = [{ sha: 'c'.repeat(40), subject: 'fix: x', body: '' }];
  const history = remoteHistory([{ name: 'v1.0.0', sha: '1'.repeat(40) }, { name: 'v3.0.0', sha: '3'.repeat(40) }], commits);
  const plan = await planDeploy(config(), inputs({ version: '2.0.0' }), { workspace, history });
  expect(plan).toMatchObject({ version: '2.0.0', versionSource: 'input', changes: { previousTag: 'v1.0.0', commits } });
});

test('previousVersion: the records first, then the given lookup (GitHub deployments), then the previous tag', async () => {
  const history = remoteHistory([{ name: 'v1.0.0', sha: '1'.repeat(40) }], []);
  const lookup = async () => '1.1.0';
  expect((await planDeploy(config(), inputs(), { workspace, history, previousVersion: lookup })).previousVersion).toBe('1.1.0');
  expect((await planDeploy(config(), inputs(), { workspace, history, previousVersion: async () => undefined })).previousVersion).toBe('1.0.0');
  await mkdir(join(workspace, '.meta-deploy'), { recursive: true });
  await writeFile(join(workspace, '.meta-deploy', 'records.jsonl'), `${JSON.stringify(record('0.9.0', ['staging', 'production']))}\n`);
  expect((await planDeploy(config(), inputs(), { workspace, history, previousVersion: lookup })).previousVersion).toBe('0.9.0');
});

test('outside a git repository, the local history says why it read no tags', async () => {
  const plan = await planDeploy(config(), inputs(), { workspace });
  expect(plan.versionFrom).toBe('local git');
  expect(plan.versionNotes?.[0]).toMatch(/^no tags read from local git: fatal: not a git repository/);
});
