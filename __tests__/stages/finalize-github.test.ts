// Finalize when the GitHub features run: the tag and the release go through the port (here the real release module
// against the GitHub API stand-in), the release notes are the changelog with pull request and commit links, read from
// the GitHub history — a workspace without any git repository still gets its changelog.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { createDefaultIo } from '../../src/engine/default-io.js';
import type { GitHubPort } from '../../src/engine/github-port.js';
import { placeholdersFor } from '../../src/engine/placeholders-for.js';
import { createRecordStore } from '../../src/engine/records.js';
import { newDeployment } from '../../src/engine/run-deploy.js';
import type { StageContext } from '../../src/engine/stage.js';
import { createMasker } from '../../src/exec/mask.js';
import { githubReleaseHistory } from '../../src/github/release-history.js';
import { publishRelease } from '../../src/github/release.js';
import { resolveInputs } from '../../src/plan/inputs.js';
import { planDeploy } from '../../src/plan/plan-deploy.js';
import { finalizeStage } from '../../src/stages/finalize.js';
import { clientFor, runContext } from '../github/context.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api/server.js';

const YAML = (finalize: string) => `version: 1
environments:
  staging: { deploy: ./deploy.sh, rollback: ./rollback.sh, smoke: { checks: [{ name: up, run: "true" }] } }
  production: { deploy: ./deploy.sh, rollback: ./rollback.sh, health: { checks: [{ name: up, run: "true" }] } }
finalize: ${finalize}
`;

let workspace: string;
let api: GitHubApi;
/** The deployed commit, on top of a history whose latest v* tag is v1.2.3. */
let deployed: string;
beforeEach(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'meta-deploy-finalize-gh-'));
  api = await startGitHubApi();
  const [initial, , feat] = api.state.addCommits(['chore: initial', 'fix: a crash (#41)', 'feat: search (#42)']);
  api.state.addTag('v1.2.3', initial);
  deployed = feat!;
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
  await api.stop();
  expect(api.violations).toEqual([]);
});

async function finalizeThrough(finalize: string, environments = 'staging,production') {
  const loaded = parseConfig(YAML(finalize), join(workspace, 'meta-deploy.yml'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  const inputs = resolveInputs({ environments }, loaded.config);
  if (!inputs.ok) throw new Error(inputs.error);
  const client = clientFor(api);
  const github = runContext(api, { sha: deployed });
  const plan = await planDeploy(loaded.config, inputs.inputs, { workspace, sha: deployed, history: githubReleaseHistory(client, github, workspace) });
  // Finalize calls only release() of the port.
  const port = { release: (input) => publishRelease(client, github, input) } as Pick<GitHubPort, "release"> as GitHubPort;
  const mask = createMasker([]);
  const context = {
    plan,
    config: plan.config,
    deployment: newDeployment(plan),
    workspace,
    stateDir: plan.stateDir,
    io: createDefaultIo(mask),
    records: createRecordStore(join(plan.stateDir, 'records.jsonl')),
    mask,
    env: {},
    placeholders: (environment) => placeholdersFor({ target: plan.target, version: plan.version, previousVersion: plan.previousVersion, sha: plan.sha, snapshot: undefined }, environment ? plan.config.environments[environment] : undefined),
    github: port,
  } as Partial<StageContext> as StageContext;
  return { plan, outcome: await finalizeStage.run(context) };
}

test('tag and release through the port; the notes and the changelog file carry the PR links', async () => {
  const { plan, outcome } = await finalizeThrough('{ release: true, changelog: true }');
  expect(plan.version).toBe('1.3.0');
  expect(outcome.data.tag).toEqual({ name: 'v1.3.0', status: 'passed', detail: 'tagged through the GitHub API' });
  expect(outcome.data.release).toEqual({ url: 'http://github.test/acme/shop/releases/tag/v1.3.0', status: 'passed', detail: 'release created' });
  expect(outcome).toMatchObject({ status: 'passed', notes: 'tagged v1.3.0, released, record written' });
  const notes = api.state.releases[0]!.body!;
  expect(notes).toContain('### Features\n\n- feat: search ([#42](http://github.test/acme/shop/pull/42))');
  expect(notes).toContain('### Fixes\n\n- fix: a crash ([#41](http://github.test/acme/shop/pull/41))');
  expect(outcome.data.changelog).toMatchObject({ status: 'passed', entries: 2, detail: '2 commits since v1.2.3' });
  expect(await readFile(outcome.data.changelog!.file!, 'utf8')).toBe(notes);
});

test('a refused release is a warning of finalize, never a failure; the tag stays', async () => {
  api.faults.add({ answer: 'not-accessible', when: (request) => request.route === 'POST /repos/{owner}/{repo}/releases' });
  const { outcome } = await finalizeThrough('{ release: true, changelog: false }');
  expect(outcome.status).toBe('warning');
  expect(outcome.notes).toMatch(/^release: no release: HTTP 403/);
  expect(outcome.data.tag?.status).toBe('passed');
  expect(outcome.data.record?.status).toBe('passed');
  expect(outcome.failure).toBeUndefined();
});

test('a staging-only run tags nothing and asks GitHub for no tag or release', async () => {
  const { outcome } = await finalizeThrough('{ release: true }', 'staging');
  expect(outcome.data.tag).toMatchObject({ status: 'skipped', detail: 'production not deployed in this run' });
  expect(outcome.data.release).toBeUndefined();
  expect(api.requests.filter((request) => request.method === 'POST')).toEqual([]);
});
