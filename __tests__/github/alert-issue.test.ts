import { expect, test } from 'vitest';
import { raiseAlertIssue } from '../../src/github/alert-issue.js';
import { recorded } from '../fixtures/deployments/scenarios.js';
import { runContext, startReleaseApi, TOKEN } from './release-api-stand-in.js';

const config = { labels: ['incident'] };

test('a rolled-back production deployment opens an issue: labelled, titled after the target, with the facts and the run', async () => {
  await using api = await startReleaseApi();
  const deployment = recorded('production-health-rollback');
  const issue = await raiseAlertIssue(api.api(), runContext(), deployment, config);
  expect(issue).toEqual({ url: 'http://github.test/acme/shop/issues/1', number: 1, action: 'opened' });
  const opened = api.issues[0]!;
  expect(opened.title).toBe('meta-deploy: web production deployment rolled back');
  expect(opened.labels).toEqual(['meta-deploy', 'incident']);
  expect(opened.body).toContain('| Result | `ROLLED BACK` |');
  expect(opened.body).toContain('| Version | `1.1.0` |');
  expect(opened.body).toContain('| Previous version | `1.0.0` |');
  expect(opened.body).toContain('| Run | [http://github.test/acme/shop/actions/runs/42](http://github.test/acme/shop/actions/runs/42) |');
  expect(opened.body).toContain(`\`\`\`\n${deployment.reason}\n\`\`\``);
});

test('while that issue is open, the next failure comments on it: no duplicate (a closed one or another target does not count)', async () => {
  await using api = await startReleaseApi();
  api.issues.push(
    { number: 1, title: 'meta-deploy: web production deployment failed', body: '', labels: ['meta-deploy'], state: 'closed', comments: [] },
    { number: 2, title: 'meta-deploy: api production deployment rolled back', body: '', labels: ['meta-deploy'], state: 'open', comments: [] },
    { number: 3, title: 'meta-deploy: web production deployment rolled back', body: '', labels: ['meta-deploy'], state: 'open', comments: [] },
  );
  const deployment = recorded('production-health-rollback');
  const issue = await raiseAlertIssue(api.api(), runContext(), deployment, config);
  expect(issue).toEqual({ url: expect.stringMatching(/^http:\/\/github\.test\/acme\/shop\/issues\/3#issuecomment-\d+$/), number: 3, action: 'commented' });
  expect(api.issues).toHaveLength(3);
  expect(api.issues[2]!.comments).toEqual([expect.stringContaining('**1.1.0** of **web** was rolled back in production again.')]);
  expect(api.requests.find((request) => request.path.endsWith('/issues') && request.method === 'GET')?.query.get('labels')).toBe('meta-deploy');
});

test('a failed rollback says what to run by hand; the title says failed', async () => {
  await using api = await startReleaseApi();
  const deployment = recorded('rollback-failed');
  await raiseAlertIssue(api.api(), runContext(), deployment, { labels: [] });
  expect(api.issues[0]!.title).toBe('meta-deploy: default production deployment failed');
  expect(api.issues[0]!.labels).toEqual(['meta-deploy']);
  expect(api.issues[0]!.body).toContain(`The rollback failed: production needs a hand. To roll back:\n\n\`\`\`\n${deployment.manualRollback}\n\`\`\``);
});

test('no issue for a success or a failure before production', async () => {
  await using api = await startReleaseApi();
  expect(await raiseAlertIssue(api.api(), runContext(), recorded('success'), config)).toBeUndefined();
  expect(await raiseAlertIssue(api.api(), runContext(), recorded('staging-smoke-failure'), config)).toBeUndefined();
  expect(api.requests).toEqual([]);
});

test('a reason that mentions someone or carries Markdown stays inside the code block', async () => {
  await using api = await startReleaseApi();
  const deployment = { ...recorded('production-health-rollback'), reason: 'HTTP 503: ``` @octocat </details> [x](javascript:alert(1))' };
  await raiseAlertIssue(api.api(), runContext(), deployment, config);
  const body = api.issues[0]!.body;
  expect(body).toContain('````\nHTTP 503: ``` @octocat </details> [x](javascript:alert(1))\n````');
  expect(body.replace(/````\n[\s\S]*?\n````/g, '')).not.toContain('@octocat');
});

test('issues: write missing: undefined, a notice naming it, and the token in no request body', async () => {
  await using api = await startReleaseApi();
  api.fail((request) => request.method === 'POST', 403);
  const client = api.api();
  expect(await raiseAlertIssue(client, runContext(), recorded('production-health-rollback'), config)).toBeUndefined();
  expect(client.notices).toEqual([expect.stringContaining('give the job "issues: write" under permissions:')]);
  expect(JSON.stringify(api.requests.map((request) => request.body))).not.toContain(TOKEN);
});
