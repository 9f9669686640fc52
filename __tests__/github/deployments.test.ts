// This run's GitHub deployments against the GitHub API stand-in: what is created per environment and event, the
// status sequences the model drives (success, rolled back in verify, staging failed, cancelled), the job's own
// deployment found instead of duplicated, concurrency with another run's deployment (waited for, refused after
// lock-timeout, stale and reported), and API errors that stay notices.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { newDeployment } from '../../src/engine/run-deploy.js';
import type { Deployment } from '../../src/engine/model.js';
import type { GitHubApi as ProductApi } from '../../src/github/client.js';
import { createDeploymentTracker, type DeploymentTrackerOptions } from '../../src/github/deployments.js';
import type { GitHubRunContext } from '../../src/github/run-context.js';
import type { DeployPlan } from '../../src/plan/types.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api/server.js';
import type { Deployment as StoredDeployment } from '../support/github-api/state.js';
import { clientFor, runContext } from './context.js';

const RUN_URL = 'https://github.com/octo/shop/actions/runs/42';
const URLS: Record<string, string> = { staging: 'https://staging.shop.test', production: 'https://shop.test' };
const DEPLOYMENTS = 'POST /repos/{owner}/{repo}/deployments';
const STATUSES = '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses';

let github: GitHubApi;
let api: ProductApi;
/** The pushed commit, and the head of pull request #7. */
let SHA: string;
let PR_HEAD: string;
let PUSH: GitHubRunContext;
let PULL_REQUEST: GitHubRunContext;
beforeEach(async () => {
  github = await startGitHubApi({ owner: 'octo', repo: 'shop', serverUrl: 'https://github.com' });
  api = clientFor(github);
  [SHA, PR_HEAD] = github.state.addCommits(['feat: search', 'fix: review remarks']) as [string, string];
  PUSH = runContext(github, { sha: SHA });
  PULL_REQUEST = {
    ...PUSH,
    eventName: 'pull_request',
    sha: PR_HEAD,
    ref: 'refs/pull/7/merge',
    pullRequest: { number: 7, url: 'https://github.com/octo/shop/pull/7', headSha: PR_HEAD, fork: false },
  };
});
afterEach(async () => {
  await github.stop();
  expect(github.violations).toEqual([]);
});

/** A deployment made earlier (by another run, the job, or another tool), with its statuses, oldest first. */
function seed(fields: { environment: string; sha?: string; payload?: unknown; creator?: string; createdAt?: string }, statuses: { state: string; log_url?: string }[] = []): StoredDeployment {
  const deployment = github.state.addDeployment({ sha: SHA, ...fields });
  for (const status of statuses) github.state.addStatus(deployment, status);
  return deployment;
}

function tracker(context = PUSH, overrides: Partial<DeploymentTrackerOptions> = {}) {
  return createDeploymentTracker(api, context, {
    target: 'web',
    version: '1.3.0',
    lockTimeoutMs: 60_000,
    pollIntervalMs: 20,
    environmentUrl: (environment) => URLS[environment],
    snapshot: (environment) => (environment === 'production' ? 'snap-1.2.0' : undefined),
    transient: context.eventName === 'pull_request',
    mask: (text) => text.replaceAll('hunter2-secret', '***'),
    ...overrides,
  });
}

function model(): Deployment {
  return newDeployment({ target: 'web', version: '1.3.0', previousVersion: '1.2.0', environments: ['staging', 'production'], configFile: 'meta-deploy.yml' } as DeployPlan);
}

const created = () => github.requests.filter((request) => request.route === DEPLOYMENTS).map((request) => ({ body: JSON.parse(request.body.toString('utf8')) as unknown }));
const ours = (environment: string) => github.state.deployments.filter((deployment) => deployment.environment === environment && (deployment.payload as { runId?: number }).runId === 42);
/** A deployment's statuses, oldest first. */
const statusesOf = (deployment: StoredDeployment) => github.state.statusesOf(deployment.id).toReversed();
const sequence = (deployment: StoredDeployment | undefined) => deployment && statusesOf(deployment).map((status) => status.state);
const never = new AbortController().signal;

describe('what is created', () => {
  test('a push run: one deployment per environment at the commit, production flagged, the meta-deploy payload, in_progress linking the run', async () => {
    const deployments = tracker();
    expect(await deployments.claim('staging', never)).toEqual({ ok: true });
    expect(await deployments.claim('production', never)).toEqual({ ok: true });
    expect(created().map((request) => request.body)).toEqual([
      {
        ref: SHA,
        environment: 'staging',
        required_contexts: [],
        auto_merge: false,
        production_environment: false,
        transient_environment: false,
        description: 'meta-deploy web 1.3.0',
        payload: { tool: 'meta-deploy', target: 'web', version: '1.3.0', runId: 42, runUrl: RUN_URL },
      },
      {
        ref: SHA,
        environment: 'production',
        required_contexts: [],
        auto_merge: false,
        production_environment: true,
        transient_environment: false,
        description: 'meta-deploy web 1.3.0',
        payload: { tool: 'meta-deploy', target: 'web', version: '1.3.0', snapshot: 'snap-1.2.0', runId: 42, runUrl: RUN_URL },
      },
    ]);
    for (const environment of ['staging', 'production']) {
      const [status] = statusesOf(ours(environment)[0]!);
      expect(status).toMatchObject({ state: 'in_progress', log_url: RUN_URL, environment_url: URLS[environment], description: 'deploying web 1.3.0' });
    }
    const [staging, production] = deployments.records();
    expect(deployments.records()).toEqual([
      { environment: 'staging', id: staging!.id, state: 'in_progress', url: 'https://github.com/octo/shop/deployments/staging' },
      { environment: 'production', id: production!.id, state: 'in_progress', url: 'https://github.com/octo/shop/deployments/production' },
    ]);
    expect(deployments.deploymentId()).toBe(String(production!.id));
  });

  test('a pull_request run: the PR head commit, a transient environment', async () => {
    const deployments = tracker(PULL_REQUEST);
    await deployments.claim('staging', never);
    expect(created()[0]?.body).toMatchObject({ ref: PR_HEAD, environment: 'staging', transient_environment: true, production_environment: false });
    expect(deployments.deploymentId()).toBe(String(ours('staging')[0]!.id));
  });

  test("deployment-id is production's whichever environment was claimed last", async () => {
    const deployments = tracker();
    await deployments.claim('production', never);
    await deployments.claim('staging', never);
    expect(deployments.deploymentId()).toBe(String(ours('production')[0]!.id));
  });
});

describe('statuses follow the model', () => {
  test('staging then production, both successful: success for staging at its stage, for production only once verified', async () => {
    const deployments = tracker();
    const deployment = model();
    await deployments.claim('staging', never);
    deployment.stages.staging.status = 'passed';
    deployment.stages.staging.notes = 'smoke 3/3 passed';
    await deployments.follow(deployment);
    expect(sequence(ours('staging')[0])).toEqual(['in_progress', 'success']);
    expect(statusesOf(ours('staging')[0]!)[1]!.description).toBe('web 1.3.0 deployed to staging: smoke 3/3 passed');

    await deployments.claim('production', never);
    deployment.stages.production.status = 'passed';
    await deployments.follow(deployment);
    expect(sequence(ours('production')[0])).toEqual(['in_progress']);

    deployment.stages.verify.status = 'passed';
    deployment.stages.verify.notes = 'error-rate 0.2% ≤ 1%';
    await deployments.follow(deployment);
    deployment.stages.finalize.status = 'passed';
    deployment.result = 'success';
    await deployments.follow(deployment);
    await deployments.close(deployment);
    await deployments.close(deployment);
    expect(sequence(ours('staging')[0])).toEqual(['in_progress', 'success']);
    expect(sequence(ours('production')[0])).toEqual(['in_progress', 'success']);
    expect(statusesOf(ours('production')[0]!)[1]).toMatchObject({ description: 'web 1.3.0 deployed and verified: error-rate 0.2% ≤ 1%', log_url: RUN_URL, environment_url: URLS['production'] });
    expect(deployments.records().map((record) => record.state)).toEqual(['success', 'success']);
  });

  test('without verify, production is success once the run shows verify skipped', async () => {
    const deployments = tracker();
    const deployment = model();
    await deployments.claim('production', never);
    deployment.stages.production.status = 'passed';
    deployment.stages.verify.status = 'skipped';
    deployment.stages.verify.notes = 'no verify section';
    await deployments.follow(deployment);
    expect(statusesOf(ours('production')[0]!).at(-1)).toMatchObject({ state: 'success', description: 'web 1.3.0 deployed (not verified: no verify section)' });
  });

  test('production rolled back in verify: failure "rolled back to 1.2.0" with the reason, within 140 characters', async () => {
    const deployments = tracker();
    const deployment = model();
    await deployments.claim('production', never);
    deployment.stages.production.status = 'passed';
    await deployments.follow(deployment);
    deployment.stages.verify.status = 'rolled-back';
    deployment.stages.verify.data = { rollback: { snapshotId: 'snap-1.2.0', status: 'passed', detail: 'restored snap-1.2.0', durationMs: 900 } } as Deployment['stages']['verify']['data'];
    deployment.failedStage = 'verify';
    deployment.result = 'rolled-back';
    deployment.reason = `verify: error-rate 3.4% above the 1% limit (token hunter2-secret) ${'and more evidence '.repeat(10)}`;
    await deployments.follow(deployment);
    await deployments.close(deployment);
    const statuses = statusesOf(ours('production')[0]!);
    expect(statuses.map((status) => status.state)).toEqual(['in_progress', 'failure']);
    expect(statuses[1]!.description).toMatch(/^rolled back to 1\.2\.0: verify: error-rate 3\.4% above the 1% limit \(token \*\*\*\) and more evidence .*…$/);
    expect([...statuses[1]!.description]).toHaveLength(140);
    expect(deployments.records()[0]?.state).toBe('failure');
  });

  test('a rollback that failed says so', async () => {
    const deployments = tracker();
    const deployment = model();
    await deployments.claim('production', never);
    deployment.stages.production.status = 'failed';
    deployment.stages.production.data = { rollback: { snapshotId: 'snap-1.2.0', status: 'failed', detail: 'rollback failed: exit 1', durationMs: 10 } } as Deployment['stages']['production']['data'];
    await deployments.follow(deployment);
    expect(statusesOf(ours('production')[0]!).at(-1)).toMatchObject({ state: 'failure', description: 'rollback failed: exit 1' });
  });

  test('staging failed: failure with the reason, and production is never deployed', async () => {
    const deployments = tracker();
    const deployment = model();
    await deployments.claim('staging', never);
    deployment.stages.staging.status = 'failed';
    deployment.stages.staging.notes = 'smoke 1/3 passed';
    deployment.failedStage = 'staging';
    deployment.result = 'failed';
    deployment.reason = 'staging smoke: GET /healthz answered 503, expected 200';
    await deployments.follow(deployment);
    await deployments.close(deployment);
    expect(sequence(ours('staging')[0])).toEqual(['in_progress', 'failure']);
    expect(statusesOf(ours('staging')[0]!)[1]!.description).toBe('staging failed: staging smoke: GET /healthz answered 503, expected 200');
    expect(ours('production')).toEqual([]);
  });

  test('cancelled while production was being deployed: the run closes it as error with the reason, once', async () => {
    const deployments = tracker();
    const deployment = model();
    await deployments.claim('production', never);
    deployment.failedStage = 'production';
    deployment.result = 'failed';
    deployment.reason = 'cancelled during production: the deploy command was stopped';
    await deployments.follow(deployment);
    expect(sequence(ours('production')[0])).toEqual(['in_progress']);
    await deployments.close(deployment);
    await deployments.close(deployment);
    expect(statusesOf(ours('production')[0]!).slice(1)).toMatchObject([{ state: 'error', description: 'cancelled during production: the deploy command was stopped' }]);
    expect(deployments.records()[0]?.state).toBe('error');
  });
});

describe('saved for the post step', () => {
  test('each deployment is told as soon as it exists (before its first status), then at every change of state', async () => {
    // With the number of statuses GitHub holds at that moment: a main step killed before the first one is covered too.
    const told: string[][] = [];
    const deployments = tracker(PUSH, { onChange: (records) => told.push(records.map((record) => `${record.environment}#${record.id}:${record.state} (${github.state.statusesOf(record.id).length})`)) });
    const deployment = model();
    await deployments.claim('staging', never);
    const [staging] = ours('staging');
    expect(told.slice(0, 2)).toEqual([[`staging#${staging!.id}:in_progress (0)`], [`staging#${staging!.id}:in_progress (1)`]]);
    deployment.stages.staging.status = 'passed';
    await deployments.follow(deployment);
    await deployments.claim('production', never);
    const [production] = ours('production');
    expect(told.at(-1)).toEqual([`staging#${staging!.id}:success (2)`, `production#${production!.id}:in_progress (1)`]);
  });
});

describe("the job's own deployment (`environment:` in the workflow)", () => {
  test('is found by its statuses pointing at this run: no second deployment, no statuses from meta-deploy', async () => {
    const earlier = seed({ environment: 'production', createdAt: new Date(Date.now() - 3_600_000).toISOString() }, [{ state: 'success', log_url: 'https://github.com/octo/shop/actions/runs/41/job/5' }]);
    const job = seed({ environment: 'production', sha: SHA }, [
      { state: 'queued', log_url: 'https://github.com/octo/shop/actions/runs/42/job/7' },
      { state: 'in_progress', log_url: 'https://github.com/octo/shop/actions/runs/42/job/7' },
    ]);
    const deployments = tracker();
    const deployment = model();
    expect(await deployments.claim('production', never)).toEqual({ ok: true });
    deployment.stages.production.status = 'passed';
    deployment.stages.verify.status = 'passed';
    await deployments.follow(deployment);
    await deployments.close(deployment);
    expect(created()).toEqual([]);
    expect(github.requests.filter((request) => request.method === 'POST')).toEqual([]);
    expect(deployments.records()).toEqual([{ environment: 'production', id: job.id, state: 'in_progress', url: 'https://github.com/octo/shop/deployments/production', createdByJob: true }]);
    expect(deployments.deploymentId()).toBe(String(job.id));
    expect(statusesOf(earlier)).toHaveLength(1);
  });

  test("another run's job deployment is not taken for this run's; other tools' deployments are not even looked at", async () => {
    const job = seed({ environment: 'production' }, [{ state: 'in_progress', log_url: 'https://github.com/octo/shop/actions/runs/420/job/7' }]);
    seed({ environment: 'production', creator: 'vercel[bot]' }, [{ state: 'success', log_url: 'https://vercel.com/octo/shop/1' }]);
    const deployments = tracker();
    await deployments.claim('production', never);
    expect(github.requests.filter((request) => request.route === `GET ${STATUSES}`).map((request) => `${request.path}?${request.query}`)).toEqual([`/repos/octo/shop/deployments/${job.id}/statuses?per_page=1`]);
    expect(created()).toHaveLength(1);
    expect(deployments.records()[0]?.createdByJob).toBeUndefined();
  });
});

describe('concurrency across runners', () => {
  const otherRun = (fields: { createdAt?: string } = {}, target = 'web', runId = 41) =>
    seed(
      { environment: 'production', payload: { tool: 'meta-deploy', target, version: '1.2.9', runId, runUrl: `https://github.com/octo/shop/actions/runs/${runId}` }, ...fields },
      [{ state: 'in_progress', log_url: `https://github.com/octo/shop/actions/runs/${runId}` }],
    );

  test("waits for another run's in-progress deployment of the same environment and target, then proceeds", async () => {
    const other = otherRun();
    const deployments = tracker(PUSH, { lockTimeoutMs: 10_000 });
    const started = Date.now();
    setTimeout(() => github.state.addStatus(other, { state: 'success', log_url: 'https://github.com/octo/shop/actions/runs/41' }), 300);
    expect(await deployments.claim('production', never)).toEqual({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(created()).toHaveLength(1);
    const firstCreate = github.requests.findIndex((request) => request.method === 'POST');
    const lastLook = github.requests.findLastIndex((request) => request.path.startsWith(`/repos/octo/shop/deployments/${other.id}/statuses`));
    expect(lastLook).toBeLessThan(firstCreate);
  });

  test('refuses the environment after lock-timeout, naming the deployment and its run', async () => {
    const other = otherRun();
    // GitHub's created_at is to the second: a deployment made now may look up to a second old.
    const deployments = tracker(PUSH, { lockTimeoutMs: 1200 });
    const started = Date.now();
    expect(await deployments.claim('production', never)).toEqual({
      ok: false,
      reason: `another run is deploying web to production: deployment #${other.id} (https://github.com/octo/shop/actions/runs/41), still in progress after 1.2s`,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1190);
    expect(created()).toEqual([]);
  });

  test('stops waiting when the run is cancelled', async () => {
    otherRun();
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 100);
    const claim = await tracker(PUSH, { lockTimeoutMs: 60_000, pollIntervalMs: 30_000 }).claim('production', cancel.signal);
    expect(claim).toMatchObject({ ok: false, reason: expect.stringMatching(/^cancelled while waiting: another run is deploying web to production: deployment #\d+/) });
    expect(created()).toEqual([]);
  });

  test('one older than lock-timeout was left by a dead run: a notice naming it, not waited for', async () => {
    const stale = otherRun({ createdAt: new Date(Date.now() - 2 * 3_600_000).toISOString() });
    const started = Date.now();
    expect(await tracker(PUSH, { lockTimeoutMs: 15 * 60_000 }).claim('production', never)).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(api.notices).toEqual([
      `GitHub deployment #${stale.id} of web to production (https://github.com/octo/shop/actions/runs/41) is still in progress, but it is 2h 00m old, older than lock-timeout (15m 00s): left by a run that died, not waited for`,
    ]);
    expect(created()).toHaveLength(1);
  });

  test('one whose workflow run has ended (a killed job) is not waited for, however young', async () => {
    const left = otherRun();
    github.state.runs.set(41, { status: 'completed', conclusion: 'cancelled' });
    const started = Date.now();
    expect(await tracker(PUSH, { lockTimeoutMs: 15 * 60_000 }).claim('production', never)).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(api.notices).toEqual([
      `GitHub deployment #${left.id} of web to production (https://github.com/octo/shop/actions/runs/41) is still in progress, but its workflow run has ended (completed, cancelled): left by a run that died, not waited for`,
    ]);
    expect(created()).toHaveLength(1);
  });

  test('the run ending while it is waited for ends the wait', async () => {
    otherRun();
    setTimeout(() => github.state.runs.set(41, { status: 'completed', conclusion: 'failure' }), 300);
    const started = Date.now();
    expect(await tracker(PUSH, { lockTimeoutMs: 60_000, pollIntervalMs: 100 }).claim('production', never)).toEqual({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(api.notices).toEqual([expect.stringContaining('its workflow run has ended (completed, failure)')]);
  });

  test('without actions: read the run is asked about once, said once; then only the deployment itself ends the wait', async () => {
    otherRun();
    github.faults.add({ when: (request) => request.route === 'GET /repos/{owner}/{repo}/actions/runs/{run_id}', answer: 'not-accessible' });
    const cancel = new AbortController();
    setTimeout(() => github.state.runs.set(41, { status: 'completed', conclusion: 'failure' }), 100);
    setTimeout(() => cancel.abort(), 1000);
    const claim = await tracker(PUSH, { lockTimeoutMs: 60_000, pollIntervalMs: 100 }).claim('production', cancel.signal);
    expect(claim).toMatchObject({ ok: false, reason: expect.stringMatching(/^cancelled while waiting/) });
    expect(github.calls('GET /repos/{owner}/{repo}/actions/runs/{run_id}')).toBe(1);
    expect(api.notices).toEqual([expect.stringContaining('give the job "actions: read" under permissions:')]);
  });

  test("another target's deployment and this run's own do not hold the environment", async () => {
    otherRun({}, 'api');
    otherRun({}, 'web', 42);
    const started = Date.now();
    expect(await tracker(PUSH, { lockTimeoutMs: 60_000 }).claim('production', never)).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(api.notices).toEqual([]);
  });

  test('the scan stops at the newest finished deployment: the run that made it had already waited for the older ones', async () => {
    otherRun();
    const finished = otherRun();
    github.state.addStatus(finished, { state: 'failure' });
    const started = Date.now();
    expect(await tracker(PUSH, { lockTimeoutMs: 60_000 }).claim('production', never)).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(github.calls(`GET ${STATUSES}`)).toBe(1);
  });
});

describe('API errors are notices, never failures', () => {
  test('a read-only token (403 creating the deployment): one notice naming the permission, the claims succeed, no second try', async () => {
    github.faults.add({ answer: 'not-accessible', times: 1, when: (request) => request.route === DEPLOYMENTS });
    const deployments = tracker();
    expect(await deployments.claim('production', never)).toEqual({ ok: true });
    expect(deployments.records()).toEqual([]);
    expect(deployments.deploymentId()).toBeUndefined();
    expect(api.notices).toHaveLength(1);
    expect(api.notices[0]).toContain('give the job "deployments: write" under permissions:');
    expect(await deployments.claim('staging', never)).toEqual({ ok: true });
    expect(created()).toHaveLength(1);
    expect(api.notices).toHaveLength(1);
    const deployment = model();
    deployment.stages.production.status = 'failed';
    await deployments.close(deployment);
    expect(github.calls(`POST ${STATUSES}`)).toBe(0);
  });

  test('listing refused: no concurrency check (a notice), the deployment is still created', async () => {
    github.faults.add({ answer: 'not-accessible', times: 1, when: (request) => request.route === 'GET /repos/{owner}/{repo}/deployments' });
    const deployments = tracker();
    expect(await deployments.claim('staging', never)).toEqual({ ok: true });
    expect(created()).toHaveLength(1);
    expect(api.notices[0]).toContain('give the job "deployments: read" under permissions:');
  });

  test('a status refused is a notice, and the next change tries again', async () => {
    const deployments = tracker();
    const deployment = model();
    await deployments.claim('staging', never);
    github.faults.add({ answer: 'validation-failed', times: 1, when: (request) => request.route === `POST ${STATUSES}` });
    deployment.stages.staging.status = 'passed';
    await deployments.follow(deployment);
    expect(deployments.records()[0]?.state).toBe('in_progress');
    expect(api.notices[0]).toMatch(/^GitHub deployment statuses: failed: HTTP 422/);
    await deployments.close(deployment);
    expect(sequence(ours('staging')[0])).toEqual(['in_progress', 'success']);
  });
});
