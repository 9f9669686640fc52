// The previous version from GitHub (a fresh runner): the newest successful meta-deploy deployment of the same
// target in that environment, in a few calls, and undefined when GitHub does not know or does not answer.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { GitHubApi as ProductApi } from '../../src/github/client.js';
import { lastSuccessfulVersion } from '../../src/github/previous-version.js';
import type { GitHubRunContext } from '../../src/github/run-context.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api/server.js';
import { clientFor, requestLines, runContext } from './context.js';

let github: GitHubApi;
let api: ProductApi;
let context: GitHubRunContext;
let sha: string;
beforeEach(async () => {
  github = await startGitHubApi({ owner: 'octo', repo: 'shop', serverUrl: 'https://github.com' });
  api = clientFor(github);
  [sha] = github.state.addCommits(['feat: search']) as [string];
  context = runContext(github, { sha });
});
afterEach(async () => {
  await github.stop();
  expect(github.violations).toEqual([]);
});

const meta = (target: string, version: string, runId: number) => ({ tool: 'meta-deploy', target, version, runId, runUrl: `https://github.com/octo/shop/actions/runs/${runId}` });
const seed = (environment: string, payload: unknown, states: string[]) => github.state.addDeployment({ sha, environment, payload }, states);

test('the version of the newest successful deployment of the same target: later failures, other targets, other tools and other environments skipped', async () => {
  seed('production', meta('web', '1.1.0', 30), ['in_progress', 'success']);
  seed('production', meta('web', '1.2.0', 31), ['in_progress', 'success']);
  seed('staging', meta('web', '1.2.5', 32), ['success']);
  seed('production', meta('web', '1.2.9', 33), ['in_progress', 'failure']);
  seed('production', meta('api', '7.0.0', 34), ['success']);
  seed('production', {}, ['success']);
  expect(await lastSuccessfulVersion(api, context, 'web', 'production')).toBe('1.2.0');
  expect(api.calls()).toBe(3);
  expect(requestLines(github)[0]).toBe('GET /repos/octo/shop/deployments?environment=production&per_page=10');
  expect(requestLines(github).slice(1).every((line) => /^GET \/repos\/octo\/shop\/deployments\/\d+\/statuses\?per_page=1$/.test(line))).toBe(true);
});

test('a payload GitHub returns as a JSON string is read too', async () => {
  seed('staging', JSON.stringify(meta('web', '2.0.1', 30)), ['success']);
  expect(await lastSuccessfulVersion(api, context, 'web', 'staging')).toBe('2.0.1');
});

test('nothing successful among the newest few: not known', async () => {
  for (const version of ['1.0.0', '1.1.0', '1.2.0', '1.3.0']) seed('production', meta('web', version, 30), [version === '1.0.0' ? 'success' : 'failure']);
  expect(await lastSuccessfulVersion(api, context, 'web', 'production')).toBeUndefined();
  expect(api.calls()).toBe(4);
});

test('no deployments, or the API refusing: not known, and a refusal is a notice', async () => {
  expect(await lastSuccessfulVersion(api, context, 'web', 'production')).toBeUndefined();
  github.faults.add({ answer: 'not-accessible', times: 1, when: (request) => request.route === 'GET /repos/{owner}/{repo}/deployments' });
  expect(await lastSuccessfulVersion(api, context, 'web', 'production')).toBeUndefined();
  expect(api.notices).toHaveLength(1);
  expect(api.notices[0]).toMatch(/^GitHub previous version: skipped: .*give the job "deployments: read" under permissions:/);
});
