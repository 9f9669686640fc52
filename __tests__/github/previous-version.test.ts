// The previous version from GitHub (a fresh runner): the newest successful meta-deploy deployment of the same
// target in that environment, in a few calls, and undefined when GitHub does not know or does not answer.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createGitHubApi, type GitHubApi } from '../../src/github/client.js';
import { lastSuccessfulVersion } from '../../src/github/previous-version.js';
import type { GitHubRunContext } from '../../src/github/run-context.js';
import { startGitHubStandIn, STAND_IN_REPO, type GitHubStandIn } from './deployments-stand-in.js';

const CONTEXT: GitHubRunContext = { ...STAND_IN_REPO, serverUrl: 'https://github.com', runUrl: 'https://github.com/octo/shop/actions/runs/42', runId: 42, eventName: 'push', sha: 'c'.repeat(40), ref: 'refs/heads/main' };

let github: GitHubStandIn;
let api: GitHubApi;
beforeEach(async () => {
  github = await startGitHubStandIn();
  api = createGitHubApi({ token: 'ghs_test-token', baseUrl: github.url, retryBaseMs: 1 });
});
afterEach(async () => {
  await github[Symbol.asyncDispose]();
});

const meta = (target: string, version: string, runId: number) => ({ tool: 'meta-deploy', target, version, runId, runUrl: `https://github.com/octo/shop/actions/runs/${runId}` });

test('the version of the newest successful deployment of the same target: later failures, other targets, other tools and other environments skipped', async () => {
  github.seedDeployment({ environment: 'production', payload: meta('web', '1.1.0', 30) }, [{ state: 'in_progress' }, { state: 'success' }]);
  github.seedDeployment({ environment: 'production', payload: meta('web', '1.2.0', 31) }, [{ state: 'in_progress' }, { state: 'success' }]);
  github.seedDeployment({ environment: 'staging', payload: meta('web', '1.2.5', 32) }, [{ state: 'success' }]);
  github.seedDeployment({ environment: 'production', payload: meta('web', '1.2.9', 33) }, [{ state: 'in_progress' }, { state: 'failure' }]);
  github.seedDeployment({ environment: 'production', payload: meta('api', '7.0.0', 34) }, [{ state: 'success' }]);
  github.seedDeployment({ environment: 'production' }, [{ state: 'success' }]);
  expect(await lastSuccessfulVersion(api, CONTEXT, 'web', 'production')).toBe('1.2.0');
  expect(api.calls()).toBe(3);
  expect(github.requests.map((request) => request.path)[0]).toBe('/repos/octo/shop/deployments?environment=production&per_page=10');
  expect(github.requests.slice(1).every((request) => request.path.endsWith('/statuses?per_page=1'))).toBe(true);
});

test('a payload GitHub returns as a JSON string is read too', async () => {
  github.seedDeployment({ environment: 'staging', payload: JSON.stringify(meta('web', '2.0.1', 30)) }, [{ state: 'success' }]);
  expect(await lastSuccessfulVersion(api, CONTEXT, 'web', 'staging')).toBe('2.0.1');
});

test('nothing successful among the newest few: not known', async () => {
  for (const version of ['1.0.0', '1.1.0', '1.2.0', '1.3.0']) github.seedDeployment({ environment: 'production', payload: meta('web', version, 30) }, [{ state: version === '1.0.0' ? 'success' : 'failure' }]);
  expect(await lastSuccessfulVersion(api, CONTEXT, 'web', 'production')).toBeUndefined();
  expect(api.calls()).toBe(4);
});

test('no deployments, or the API refusing: not known, and a refusal is a notice', async () => {
  expect(await lastSuccessfulVersion(api, CONTEXT, 'web', 'production')).toBeUndefined();
  github.failNext('GET', /\/deployments$/, 403);
  expect(await lastSuccessfulVersion(api, CONTEXT, 'web', 'production')).toBeUndefined();
  expect(api.notices).toHaveLength(1);
  expect(api.notices[0]).toMatch(/^GitHub previous version: skipped: .*give the job "deployments: read" under permissions:/);
});
