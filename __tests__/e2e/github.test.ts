// The bundled action (dist/index.js) run as the runner runs it, with a token, against the GitHub API stand-in on
// loopback (every request checked against GitHub's OpenAPI description) and the fixture service on real platforms:
// push to main, pull_request, tag push, fork PR, a rolled-back release, a rerun, and the API failing in every way.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { startGitHubApi, type GitHubApi } from '../support/github-api/server.js';
import { startPlatform, type Platform } from '../support/platform.js';
import { runNode, runnerFiles } from '../support/runner-files.js';
import { fixtureWorkspace, serviceConfig, writeConfig } from '../support/workspace.js';

const TOKEN = 'ghs_planted0secret0token0000000000000000';
const RUN_ID = '4242';
const DEPLOYMENTS = 'POST /repos/{owner}/{repo}/deployments';
const STATUSES = 'POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses';
const NEW_COMMENT = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
const EDIT_COMMENT = 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}';

interface Scene {
  workspace: string;
  staging: Platform;
  production: Platform;
  github: GitHubApi;
  /** Commits on GitHub: v1.2.0 tags the second; the last two came after it. */
  shas: string[];
}

const open: Scene[] = [];
afterEach(async () => {
  for (const scene of open.splice(0)) {
    await Promise.all([scene.staging[Symbol.asyncDispose](), scene.production[Symbol.asyncDispose](), scene.github.stop()]);
  }
});

/** A shallow checkout: one local commit, no tags. GitHub knows the history: v1.2.0, then a feature and a fix. */
async function scene(extraConfig = '', edit: (yaml: string) => string = (yaml) => yaml): Promise<Scene> {
  const workspace = await fixtureWorkspace();
  const staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
  const production = await startPlatform(join(workspace, 'srv', 'production'), 'production');
  const github = await startGitHubApi({ token: TOKEN });
  const shas = github.state.addCommits(['feat: first release', 'fix: polish (#3)', 'feat: search box (#12)', 'fix: typo in the footer (#13)']);
  github.state.addTag('v1.2.0', shas[1], 'v1.2.0');
  await writeConfig(workspace, edit(serviceConfig({ stagingUrl: staging.url, productionUrl: production.url })) + extraConfig);
  execFileSync('bash', ['-c', 'git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -qm "shallow checkout"'], { cwd: workspace });
  const made = { workspace, staging, production, github, shas };
  open.push(made);
  return made;
}

interface RunOptions {
  event?: 'push' | 'pull_request';
  ref?: string;
  sha?: string;
  payload?: object;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
}

async function deploy(s: Scene, options: RunOptions = {}) {
  const sha = options.sha ?? s.shas.at(-1)!;
  const runner = await runnerFiles(s.workspace, { 'github-token': TOKEN, ...options.inputs }, options.payload ?? {});
  const env = {
    ...runner.env,
    GITHUB_API_URL: s.github.url,
    GITHUB_SERVER_URL: 'http://github.test',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: RUN_ID,
    GITHUB_SHA: sha,
    GITHUB_EVENT_NAME: options.event ?? 'push',
    GITHUB_REF: options.ref ?? 'refs/heads/main',
    ...options.env,
  };
  const result = await runNode('dist/index.js', env);
  return { result, log: result.stdout + result.stderr, outputs: await runner.outputs(), summary: await runner.summary() };
}

function statesOf(github: GitHubApi, environment: string): string[][] {
  return github.state.deployments.filter((d) => d.environment === environment).map((d) => github.state.statusesOf(d.id).map((status) => status.state).reverse());
}

describe('the action on GitHub (dist/index.js against the API stand-in)', () => {
  test('push to main: version from the API on a shallow clone, two deployments, one comment created then edited, tag and release with a grouped changelog', { timeout: 60_000 }, async () => {
    const s = await scene('finalize:\n  release: true\n');
    const merged = s.github.state.addPull({ number: 13, headSha: 'f'.repeat(40), mergeCommitSha: s.shas.at(-1)! });

    const { result, log, outputs, summary } = await deploy(s);

    expect(result.code, log).toBe(0);
    // v1.2.0 + a feat and a fix → 1.3.0, though the local clone has no tags (local git would say 0.1.0).
    expect(outputs).toMatchObject({ result: 'success', version: '1.3.0' });
    expect(s.github.violations).toEqual([]);

    const [staging] = s.github.state.deployments.filter((d) => d.environment === 'staging');
    const [production] = s.github.state.deployments.filter((d) => d.environment === 'production');
    expect(staging).toMatchObject({ sha: s.shas.at(-1), production_environment: false, transient_environment: false, payload: { target: 'web', version: '1.3.0' } });
    expect(production).toMatchObject({ production_environment: true, payload: { target: 'web', version: '1.3.0' } });
    expect(statesOf(s.github, 'staging')).toEqual([['in_progress', 'success']]);
    expect(statesOf(s.github, 'production')).toEqual([['in_progress', 'success']]);
    expect(outputs['deployment-id']).toBe(String(production!.id));
    const statuses = s.github.state.statusesOf(production!.id);
    expect(statuses[0]).toMatchObject({ log_url: `http://github.test/acme/shop/actions/runs/${RUN_ID}`, environment_url: s.production.url });

    expect(s.github.calls(NEW_COMMENT)).toBe(1);
    expect(s.github.calls(EDIT_COMMENT)).toBeGreaterThanOrEqual(1);
    expect(s.github.calls(EDIT_COMMENT)).toBeLessThanOrEqual(6);
    const comments = s.github.state.comments.filter((c) => c.issue_number === merged.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<!-- meta-deploy:web -->');
    expect(comments[0]!.body).toMatch(/SUCCESS/);

    expect(s.github.state.resolve('refs/tags/v1.3.0')).toBeDefined();
    const release = s.github.state.releases.find((r) => r.tag_name === 'v1.3.0');
    expect(release?.body).toMatch(/### Features[\s\S]*search box \(\[#12\]\(http:\/\/github\.test\/acme\/shop\/pull\/12\)\)[\s\S]*### Fixes[\s\S]*typo in the footer/);
    const releaseUrl = `http://github.test/acme/shop/releases/tag/v1.3.0`;
    expect(outputs['release-url']).toBe(releaseUrl);
    expect(summary).toContain(releaseUrl);
    expect(summary).toContain('```mermaid');
  });

  test('pull_request: staging only, a transient deployment on the PR head, a comment on that PR', { timeout: 60_000 }, async () => {
    const s = await scene();
    const head = s.shas.at(-1)!;
    s.github.state.addPull({ number: 21, headSha: head });
    const payload = { pull_request: { number: 21, html_url: 'http://github.test/acme/shop/pull/21', head: { sha: head, repo: { full_name: 'acme/shop' } }, base: { repo: { full_name: 'acme/shop' } } } };

    const { result, log, outputs } = await deploy(s, { event: 'pull_request', ref: 'refs/pull/21/merge', sha: 'e'.repeat(40), payload, inputs: { environments: 'staging' } });

    expect(result.code, log).toBe(0);
    expect(outputs.result).toBe('success');
    expect(s.github.violations).toEqual([]);
    expect(s.github.state.deployments).toHaveLength(1);
    expect(s.github.state.deployments[0]).toMatchObject({ environment: 'staging', sha: head, transient_environment: true, production_environment: false });
    expect(s.github.state.comments.filter((c) => c.issue_number === 21)).toHaveLength(1);
    expect(s.github.calls('POST /repos/{owner}/{repo}/git/refs')).toBe(0);
  });

  test('tag push: the version is the tag, no tag is created', { timeout: 60_000 }, async () => {
    const s = await scene();
    s.github.state.addTag('v1.4.0', s.shas.at(-1)!, 'v1.4.0');

    const { result, log, outputs } = await deploy(s, { ref: 'refs/tags/v1.4.0' });

    expect(result.code, log).toBe(0);
    expect(outputs).toMatchObject({ result: 'success', version: '1.4.0' });
    expect(s.github.calls('POST /repos/{owner}/{repo}/git/refs')).toBe(0);
    expect(s.github.calls('POST /repos/{owner}/{repo}/git/tags')).toBe(0);
    expect(s.github.violations).toEqual([]);
  });

  test('fork PR (a read-only token): 403 on the comment and the deployments are notices, the result is unchanged', { timeout: 60_000 }, async () => {
    const s = await scene();
    const head = s.shas.at(-1)!;
    s.github.state.addPull({ number: 30, headSha: head, headRepo: 'someone/shop' });
    s.github.faults.add({ when: (r) => r.method !== 'GET', answer: 'not-accessible' });
    const payload = { pull_request: { number: 30, html_url: 'http://github.test/acme/shop/pull/30', head: { sha: head, repo: { full_name: 'someone/shop' } }, base: { repo: { full_name: 'acme/shop' } } } };

    const { result, log, outputs, summary } = await deploy(s, { event: 'pull_request', ref: 'refs/pull/30/merge', payload, inputs: { environments: 'staging' } });

    expect(result.code, log).toBe(0);
    expect(outputs.result).toBe('success');
    expect(summary).toContain('give the job "deployments: write" under permissions:');
    expect(summary).toContain('give the job "pull-requests: write" under permissions:');
    expect(s.github.state.deployments).toHaveLength(0);
    expect(s.github.state.comments).toHaveLength(0);
  });

  test('a rolled-back release: production deployment failure "rolled back to …", an alert issue, the comment says ROLLED BACK', { timeout: 60_000 }, async () => {
    const s = await scene('finalize:\n  notify: [{ github-issue: { labels: [incident] } }]\n');
    s.github.state.addPull({ number: 13, headSha: 'f'.repeat(40), mergeCommitSha: s.shas.at(-1)! });
    expect((await deploy(s, { inputs: { version: '1.2.9' } })).outputs.result).toBe('success');

    const { outputs } = await deploy(s, { inputs: { version: '1.3.0' }, env: { FIXTURE_MODE: 'broken-in-production' } });

    expect(outputs).toMatchObject({ result: 'rolled-back', 'failed-stage': 'production' });
    expect(s.github.violations).toEqual([]);
    const production = s.github.state.deployments.filter((d) => d.environment === 'production').at(-1)!;
    const last = s.github.state.latestStatus(production.id)!;
    expect(last.state).toBe('failure');
    expect(last.description).toContain('rolled back to 1.2.9');
    expect(last.description.length).toBeLessThanOrEqual(140);
    const issue = s.github.state.issues.find((i) => i.labels.includes('meta-deploy'));
    expect(issue?.title).toContain('rolled back');
    expect(issue?.labels).toContain('incident');
    const comment = s.github.state.comments.find((c) => c.issue_number === 13)!;
    expect(comment.body).toContain('ROLLED BACK');
  });

  test('a rerun of the same version duplicates nothing: the same comment, the tag and the release found again', { timeout: 90_000 }, async () => {
    const s = await scene('finalize:\n  release: true\n');
    s.github.state.addPull({ number: 13, headSha: 'f'.repeat(40), mergeCommitSha: s.shas.at(-1)! });
    const first = await deploy(s);
    expect(first.outputs.result).toBe('success');

    const again = await deploy(s);

    expect(again.result.code, again.log).toBe(0);
    expect(again.outputs).toMatchObject({ result: 'success', version: '1.3.0', 'release-url': first.outputs['release-url'] });
    expect(s.github.state.comments.filter((c) => c.issue_number === 13)).toHaveLength(1);
    expect(s.github.state.releases.filter((r) => r.tag_name === 'v1.3.0')).toHaveLength(1);
    expect(again.summary).toMatch(/already/);
    expect(s.github.violations).toEqual([]);
  });
});

describe('GitHub failing never fails a deployment', () => {
  test('500s, then 403 and 429 rate limits for a while: retried, and the result is still success with every status posted', { timeout: 90_000 }, async () => {
    const s = await scene();
    s.github.faults.add({ answer: 'server-error', times: 2 });
    s.github.faults.add({ when: (r) => r.route === STATUSES, answer: 'secondary-rate-limit', times: 1 });
    s.github.faults.add({ when: (r) => r.route === DEPLOYMENTS, answer: 'primary-rate-limit', status: 429, times: 1 });

    const { result, log, outputs } = await deploy(s);

    expect(result.code, log).toBe(0);
    expect(outputs.result).toBe('success');
    expect(statesOf(s.github, 'staging')).toEqual([['in_progress', 'success']]);
    expect(statesOf(s.github, 'production')).toEqual([['in_progress', 'success']]);
    expect(s.github.violations).toEqual([]);
  });

  test.each([
    ['refusing connections', async (github: GitHubApi) => github.faults.down('refuse')],
    ['hanging (every request times out)', async (github: GitHubApi) => void github.faults.add({ delayMs: 120_000 })],
  ])('the API %s: the result is unchanged, one warning, and it costs under a minute of wall time', { timeout: 180_000 }, async (_how, breakIt) => {
    const s = await scene();
    let started = Date.now();
    const baseline = await deploy(s, { inputs: { 'github-token': '', version: '1.3.0' } });
    const baselineMs = Date.now() - started;
    expect(baseline.outputs.result).toBe('success');
    await breakIt(s.github);

    started = Date.now();
    const { result, log, outputs, summary } = await deploy(s, { inputs: { version: '1.3.1' } });
    const brokenMs = Date.now() - started;

    expect(result.code, log).toBe(0);
    expect(outputs.result).toBe('success');
    // One notice for the outage; the steps it cut short (the tag) say why they did nothing.
    expect(summary.match(/^- GitHub API unreachable/gm)).toHaveLength(1);
    expect(brokenMs - baselineMs).toBeLessThan(60_000);
  });


  test('the token, webhook URLs and declared credentials appear in no request, comment, summary or log', { timeout: 60_000 }, async () => {
    const received: string[] = [];
    const hook = createServer((request, response) => {
      request.on('data', (chunk: Buffer) => received.push(chunk.toString()));
      request.on('end', () => response.writeHead(204).end());
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/T0PSECRET0HOOK0PATH`;
    const credential = 'dk_planted0credential0value';
    // The credential is declared, and a test command prints it (masked in the log).
    const s = await scene('finalize:\n  release: true\n  notify: [{ webhook: { url-env: HOOK_URL } }]\n', (yaml) =>
      yaml.replace('prerequisites:\n', 'prerequisites:\n    env: [DEPLOY_KEY]\n').replace('run: "node --check app.mjs"', 'run: "echo key=$DEPLOY_KEY; node --check app.mjs"'),
    );
    s.github.state.addPull({ number: 13, headSha: 'f'.repeat(40), mergeCommitSha: s.shas.at(-1)! });

    const { log, outputs, summary } = await deploy(s, { env: { HOOK_URL: hookUrl, DEPLOY_KEY: credential } });
    hook.close();

    expect(outputs.result).toBe('success');
    expect(received.join('')).toContain('"event"');
    expect(log).toContain('key=***');
    // `::add-mask::` lines are the runner's masking commands: it takes them out of the log it shows.
    const shown = log.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n');
    expect(log).toContain(`::add-mask::${TOKEN}`);
    const everything = [s.github.sent(), shown, summary, JSON.stringify(outputs), ...s.github.state.comments.map((c) => c.body)].join('\n');
    for (const secret of [TOKEN, hookUrl, 'T0PSECRET0HOOK0PATH', credential]) expect(everything).not.toContain(secret);
  });
});
