// The alert issue against the GitHub API stand-in: opened for a production deployment that was rolled back or whose
// rollback failed, commented on while one is still open, never for a success or a failure before production, its
// reason kept inside a code block, and a token without issues: write only a notice.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { raiseAlertIssue } from '../../src/github/alert-issue.js';
import type { GitHubRunContext } from '../../src/github/run-context.js';
import { recorded } from '../fixtures/deployments/scenarios.js';
import { startGitHubApi, type GitHubApi } from '../support/github-api/server.js';
import { clientFor, runContext } from './context.js';

const config = { labels: ['incident'] };

let github: GitHubApi;
let context: GitHubRunContext;
beforeEach(async () => {
  github = await startGitHubApi();
  const [sha] = github.state.addCommits(['feat: search']) as [string];
  context = runContext(github, { sha });
});
afterEach(async () => {
  await github.stop();
  expect(github.violations).toEqual([]);
});

const bodyOf = (number: number) => github.state.issues.find((issue) => issue.number === number)!.body ?? '';

test('a rolled-back production deployment opens an issue: labelled, titled after the target, with the facts and the run', async () => {
  const deployment = recorded('production-health-rollback');
  const issue = await raiseAlertIssue(clientFor(github), context, deployment, config);
  expect(issue).toEqual({ url: 'http://github.test/acme/shop/issues/1', number: 1, action: 'opened' });
  const opened = github.state.issues[0]!;
  expect(opened.title).toBe('meta-deploy: web production deployment rolled back');
  expect(opened.labels).toEqual(['meta-deploy', 'incident']);
  expect(opened.body).toContain('| Result | `ROLLED BACK` |');
  expect(opened.body).toContain('| Version | `1.1.0` |');
  expect(opened.body).toContain('| Previous version | `1.0.0` |');
  expect(opened.body).toContain('| Run | [http://github.test/acme/shop/actions/runs/42](http://github.test/acme/shop/actions/runs/42) |');
  expect(opened.body).toContain(`\`\`\`\n${deployment.reason}\n\`\`\``);
});

test('while that issue is open, the next failure comments on it: no duplicate (a closed one or another target does not count)', async () => {
  github.state.addIssue({ title: 'meta-deploy: web production deployment failed', labels: ['meta-deploy'], state: 'closed' });
  github.state.addIssue({ title: 'meta-deploy: api production deployment rolled back', labels: ['meta-deploy'] });
  github.state.addIssue({ title: 'meta-deploy: web production deployment rolled back', labels: ['meta-deploy'] });
  const issue = await raiseAlertIssue(clientFor(github), context, recorded('production-health-rollback'), config);
  expect(issue).toEqual({ url: expect.stringMatching(/^http:\/\/github\.test\/acme\/shop\/issues\/3#issuecomment-\d+$/), number: 3, action: 'commented' });
  expect(github.state.issues).toHaveLength(3);
  expect(github.state.comments.map((comment) => [comment.issue_number, comment.body])).toEqual([[3, expect.stringContaining('**1.1.0** of **web** was rolled back in production again.')]]);
  expect(github.requests.find((request) => request.route === 'GET /repos/{owner}/{repo}/issues')?.query.get('labels')).toBe('meta-deploy');
});

test('a failed rollback says what to run by hand; the title says failed', async () => {
  const deployment = recorded('rollback-failed');
  await raiseAlertIssue(clientFor(github), context, deployment, { labels: [] });
  expect(github.state.issues[0]!.title).toBe('meta-deploy: default production deployment failed');
  expect(github.state.issues[0]!.labels).toEqual(['meta-deploy']);
  expect(bodyOf(1)).toContain(`The rollback failed: production needs a hand. To roll back:\n\n\`\`\`\n${deployment.manualRollback}\n\`\`\``);
});

test('no issue for a success or a failure before production', async () => {
  expect(await raiseAlertIssue(clientFor(github), context, recorded('success'), config)).toBeUndefined();
  expect(await raiseAlertIssue(clientFor(github), context, recorded('staging-smoke-failure'), config)).toBeUndefined();
  expect(github.requests).toEqual([]);
});

test('a reason that mentions someone or carries Markdown stays inside the code block', async () => {
  const deployment = { ...recorded('production-health-rollback'), reason: 'HTTP 503: ``` @octocat </details> [x](javascript:alert(1))' };
  await raiseAlertIssue(clientFor(github), context, deployment, config);
  const body = bodyOf(1);
  expect(body).toContain('````\nHTTP 503: ``` @octocat </details> [x](javascript:alert(1))\n````');
  expect(body.replace(/````\n[\s\S]*?\n````/g, '')).not.toContain('@octocat');
});

test('issues: write missing: undefined, a notice naming it, and the token in no request', async () => {
  github.faults.add({ answer: 'not-accessible', when: (request) => request.method === 'POST' });
  const client = clientFor(github);
  expect(await raiseAlertIssue(client, context, recorded('production-health-rollback'), config)).toBeUndefined();
  expect(client.notices).toEqual([expect.stringContaining('give the job "issues: write" under permissions:')]);
  expect(github.calls('POST /repos/{owner}/{repo}/issues')).toBe(1);
  expect(github.sent()).not.toContain(github.token);
});
