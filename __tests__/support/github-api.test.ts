// The GitHub API stand-in itself: requests checked against GitHub's OpenAPI description, state kept across calls as
// GitHub keeps it, every request captured, and faults as GitHub produces them. The client is Octokit, as in the
// product (@actions/github's getOctokit, and the product's own client for retries and rate limits).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getOctokit } from '@actions/github';
import { startGitHubApi, type GitHubApi } from './github-api/server.js';
import { createGitHubApi } from '../../src/github/client.js';

const repo = { owner: 'acme', repo: 'shop' };
let github: GitHubApi;
let octokit: ReturnType<typeof getOctokit>;

beforeEach(async () => {
  github = await startGitHubApi({ token: 'ghs_secret-token', ...repo });
  octokit = getOctokit(github.token, { baseUrl: github.url });
});

afterEach(async () => {
  await github.stop();
});

/** The status of a request that Octokit rejected. */
async function statusOf(request: Promise<unknown>): Promise<number> {
  try {
    await request;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

describe('validation against GitHub’s OpenAPI description', () => {
  it('accepts a valid request, and loads the description fast enough', async () => {
    const [sha] = github.state.addCommits(['feat: first']);
    const started = Date.now();
    const { data, status } = await octokit.rest.repos.createDeployment({ ...repo, ref: sha!, environment: 'staging', required_contexts: [], auto_merge: false, payload: { version: '1.0.0' } });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(status).toBe(201);
    expect(data).toMatchObject({ sha, environment: 'staging', payload: { version: '1.0.0' }, creator: { login: 'github-actions[bot]' } });
    expect(github.violations).toEqual([]);
  });

  it('records an unknown body field, a wrong type and a missing required field, answered 422', async () => {
    github.state.addCommits(['feat: first']);
    const statuses = [
      await statusOf(octokit.request('POST /repos/{owner}/{repo}/deployments', { ...repo, ref: 'main', target: 'web' })),
      // @ts-expect-error: the mistake under test
      await statusOf(octokit.request('POST /repos/{owner}/{repo}/deployments', { ...repo, ref: 'main', transient_environment: 'yes' })),
      // @ts-expect-error: the mistake under test
      await statusOf(octokit.request('POST /repos/{owner}/{repo}/deployments', { ...repo, environment: 'staging' })),
    ];
    expect(statuses).toEqual([422, 422, 422]);
    expect(github.violations.map((violation) => violation.message)).toEqual([
      'body must NOT have additional properties (target)',
      'body/transient_environment must be boolean',
      "body must have required property 'ref'",
    ]);
    expect(github.state.deployments).toEqual([]);
  });

  it('records an unknown route, an unknown or mistyped query parameter, and a wrong token', async () => {
    expect(await statusOf(octokit.request('GET /repos/{owner}/{repo}/deployment-history', repo))).toBe(404);
    expect(await statusOf(octokit.request('GET /repos/{owner}/{repo}/deployments', { ...repo, target: 'web' }))).toBe(422);
    // @ts-expect-error: the mistake under test
    expect(await statusOf(octokit.request('GET /repos/{owner}/{repo}/issues', { ...repo, state: 'done' }))).toBe(422);
    expect(await statusOf(getOctokit('ghs_other', { baseUrl: github.url }).rest.repos.listDeployments(repo))).toBe(401);
    expect(github.violations).toEqual([
      { method: 'GET', path: '/repos/acme/shop/deployment-history', message: "no operation GET /repos/acme/shop/deployment-history in GitHub's OpenAPI description" },
      { method: 'GET', path: '/repos/acme/shop/deployments', message: 'query must NOT have additional properties (target)' },
      { method: 'GET', path: '/repos/acme/shop/issues', message: 'query/state must be equal to one of the allowed values (open, closed, all)' },
      { method: 'GET', path: '/repos/acme/shop/deployments', message: 'authorization: Bad credentials' },
    ]);
  });

  it('records release notes over 125,000 characters, as GitHub refuses them', async () => {
    github.state.addCommits(['feat: first']);
    expect(await statusOf(octokit.rest.repos.createRelease({ ...repo, tag_name: 'v1.0.0', body: 'x'.repeat(125_001) }))).toBe(422);
    expect(github.violations.map((violation) => violation.message)).toEqual(['body is too long (maximum is 125000 characters; got 125001)']);
    expect(github.state.releases).toEqual([]);
  });

  it('records a status description over 140 characters, as GitHub refuses it', async () => {
    const [sha] = github.state.addCommits(['feat: first']);
    const deployment = github.state.addDeployment({ sha: sha!, environment: 'staging' });
    const status = await statusOf(octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: deployment.id, state: 'failure', description: 'x'.repeat(141) }));
    expect(status).toBe(422);
    expect(github.violations.map((violation) => violation.message)).toEqual(['description is too long (maximum is 140 characters; got 141)']);
  });
});

describe('state', () => {
  it('keeps deployments and their statuses, newest first, and marks the earlier success inactive', async () => {
    const [first, second] = github.state.addCommits(['feat: first', 'fix: second']);
    const earlier = github.state.addDeployment({ sha: first!, environment: 'staging', payload: { version: '1.0.0' } }, ['in_progress', 'success']);
    const { data: deployment } = await octokit.rest.repos.createDeployment({ ...repo, ref: second!, environment: 'staging', required_contexts: [], auto_merge: false, payload: JSON.stringify({ version: '1.1.0' }) });
    if (!('id' in deployment)) throw new Error('no deployment created');
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: deployment.id, state: 'in_progress', log_url: 'http://github.test/acme/shop/actions/runs/1' });
    await octokit.rest.repos.createDeploymentStatus({ ...repo, deployment_id: deployment.id, state: 'success', environment_url: 'https://staging.example.test', description: 'deployed 1.1.0' });

    const { data: statuses } = await octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: deployment.id });
    expect(statuses.map((status) => [status.state, status.environment_url, status.log_url])).toEqual([
      ['success', 'https://staging.example.test', ''],
      ['in_progress', '', 'http://github.test/acme/shop/actions/runs/1'],
    ]);
    const { data: listed } = await octokit.rest.repos.listDeployments({ ...repo, environment: 'staging' });
    expect(listed.map((each) => [each.id, each.payload])).toEqual([[deployment.id, { version: '1.1.0' }], [earlier.id, { version: '1.0.0' }]]);
    expect((await octokit.rest.repos.listDeployments({ ...repo, sha: first! })).data.map((each) => each.id)).toEqual([earlier.id]);
    expect(github.state.latestStatus(earlier.id)?.state).toBe('inactive');
    expect(github.violations).toEqual([]);
  });

  it('answers 409 when the conflict hook says so', async () => {
    github.state.addCommits(['feat: first']);
    github.state.deploymentConflict = () => 'Conflict: Commit status checks failed for main.';
    expect(await statusOf(octokit.rest.repos.createDeployment({ ...repo, ref: 'main', required_contexts: [] }))).toBe(409);
    expect(github.state.deployments).toEqual([]);
    expect(github.violations).toEqual([]);
  });

  it('creates, edits, pages through and deletes comments, by the token’s identity', async () => {
    const [sha] = github.state.addCommits(['feat: first']);
    github.state.addPull({ number: 7, headSha: sha! });
    github.state.addComment(7, 'a reviewer’s remark', 'octocat');
    const { data: created } = await octokit.rest.issues.createComment({ ...repo, issue_number: 7, body: '<!-- meta-deploy -->\nstarted' });
    await octokit.rest.issues.createComment({ ...repo, issue_number: 7, body: 'third' });
    const { data: edited } = await octokit.rest.issues.updateComment({ ...repo, comment_id: created.id, body: '<!-- meta-deploy -->\ndone' });
    expect(edited).toMatchObject({ id: created.id, user: { login: 'github-actions[bot]' }, html_url: `http://github.test/acme/shop/pull/7#issuecomment-${created.id}` });

    const all = await octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: 7, per_page: 1 });
    expect(all.map((comment) => [comment.user?.login, comment.body])).toEqual([
      ['octocat', 'a reviewer’s remark'],
      ['github-actions[bot]', '<!-- meta-deploy -->\ndone'],
      ['github-actions[bot]', 'third'],
    ]);
    expect(github.calls('GET /repos/{owner}/{repo}/issues/{issue_number}/comments')).toBe(3);

    await octokit.rest.issues.deleteComment({ ...repo, comment_id: created.id });
    expect(github.state.comments.map((comment) => comment.body)).toEqual(['a reviewer’s remark', 'third']);
    expect(await statusOf(octokit.rest.issues.createComment({ ...repo, issue_number: 99, body: 'nowhere' }))).toBe(404);
    expect(github.violations).toEqual([]);
  });

  it('keeps annotated tags, refs and releases, and refuses a second release of a tag', async () => {
    const [sha] = github.state.addCommits(['feat: first']);
    github.state.addTag('v0.9.0', sha);
    const { data: tag } = await octokit.rest.git.createTag({ ...repo, tag: 'v1.0.0', message: 'Release 1.0.0', object: sha!, type: 'commit', tagger: { name: 'meta-deploy', email: 'bot@example.test' } });
    await octokit.rest.git.createRef({ ...repo, ref: 'refs/tags/v1.0.0', sha: tag.sha });
    expect(await statusOf(octokit.rest.git.createRef({ ...repo, ref: 'refs/tags/v1.0.0', sha: tag.sha }))).toBe(422);

    const { data: ref } = await octokit.rest.git.getRef({ ...repo, ref: 'tags/v1.0.0' });
    expect(ref.object).toMatchObject({ sha: tag.sha, type: 'tag' });
    const { data: matching } = await octokit.rest.git.listMatchingRefs({ ...repo, ref: 'tags/v' });
    expect(matching.map((each) => each.ref)).toEqual(['refs/tags/v0.9.0', 'refs/tags/v1.0.0']);
    const tags = await octokit.paginate(octokit.rest.repos.listTags, { ...repo, per_page: 1 });
    expect(tags.map((each) => [each.name, each.commit.sha])).toEqual([['v1.0.0', sha], ['v0.9.0', sha]]);

    const { data: release } = await octokit.rest.repos.createRelease({ ...repo, tag_name: 'v1.0.0', name: 'v1.0.0', body: '## Features' });
    expect(release.html_url).toBe('http://github.test/acme/shop/releases/tag/v1.0.0');
    const again = await octokit.rest.repos.createRelease({ ...repo, tag_name: 'v1.0.0' }).catch((error: { status: number; response: { data: unknown } }) => error);
    expect(again).toMatchObject({ status: 422, response: { data: { errors: [{ resource: 'Release', code: 'already_exists', field: 'tag_name' }] } } });
    await octokit.rest.repos.updateRelease({ ...repo, release_id: release.id, body: '## Features\n- one' });
    expect((await octokit.rest.repos.getReleaseByTag({ ...repo, tag: 'v1.0.0' })).data.body).toBe('## Features\n- one');
    expect(github.violations).toEqual([]);
  });

  it('compares a tag with the head and lists the commits', async () => {
    const [base] = github.state.addCommits(['chore: start']);
    github.state.addTag('v1.0.0', base, 'Release 1.0.0');
    const [, head] = github.state.addCommits(['feat: search', 'fix: typo']);
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `v1.0.0...${head}` });
    expect(data).toMatchObject({ status: 'ahead', ahead_by: 2, total_commits: 2 });
    expect(data.commits.map((commit) => commit.commit.message)).toEqual(['feat: search', 'fix: typo']);
    const { data: commits } = await octokit.rest.repos.listCommits({ ...repo, sha: 'main' });
    expect(commits.map((commit) => [commit.commit.message, commit.parents.length])).toEqual([['fix: typo', 1], ['feat: search', 1], ['chore: start', 0]]);
    expect(github.violations).toEqual([]);
  });

  it('compares over 250 commits: the latest 250 without paging parameters, pages from the oldest with them', async () => {
    const shas = github.state.addCommits(Array.from({ length: 301 }, (_, index) => `fix: ${index}`));
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${shas[0]}...${shas[300]}` });
    expect([data.total_commits, data.commits.length, data.commits[0]?.sha, data.commits.at(-1)?.sha]).toEqual([300, 250, shas[51], shas[300]]);
    const { data: first } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${shas[0]}...${shas[300]}`, per_page: 100 });
    expect([first.commits.length, first.commits[0]?.sha]).toEqual([100, shas[1]]);
    expect(github.violations).toEqual([]);
  });

  it('keeps deployments another tool made, at the time given', async () => {
    const [sha] = github.state.addCommits(['feat: first']);
    github.state.addDeployment({ sha: sha!, environment: 'production', creator: 'vercel[bot]', createdAt: '2026-01-01T00:00:00Z' });
    const { data } = await octokit.rest.repos.listDeployments(repo);
    expect(data.map((deployment) => [deployment.creator?.login, deployment.creator?.type, deployment.created_at])).toEqual([['vercel[bot]', 'Bot', '2026-01-01T00:00:00Z']]);
    expect(github.violations).toEqual([]);
  });

  it('finds the merged pull request of a commit and its reviews', async () => {
    const [head, merge] = github.state.addCommits(['feat: search', 'Merge pull request #7']);
    github.state.addPull({ number: 7, headSha: head!, mergeCommitSha: merge, headRepo: 'fork/shop' });
    github.state.addReview(7, { login: 'alice', state: 'APPROVED', submittedAt: '2026-01-02T10:00:00Z' });
    github.state.addReview(7, { login: 'bob', state: 'COMMENTED', submittedAt: '2026-01-01T10:00:00Z' });
    github.state.addReview(7, { login: null, state: 'APPROVED' });
    github.state.addReview(7, { login: 'carol', state: 'PENDING' });
    const { data: pulls } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: merge! });
    expect(pulls.map((pull) => [pull.number, pull.merge_commit_sha, pull.head.repo?.full_name, pull.base.repo.full_name])).toEqual([[7, merge, 'fork/shop', 'acme/shop']]);
    const { data: reviews } = await octokit.rest.pulls.listReviews({ ...repo, pull_number: 7 });
    // In the order they were created, whatever their submission times; a deleted account is null, a pending review unsubmitted.
    expect(reviews.map((review) => [review.user?.login ?? null, review.state, review.submitted_at])).toEqual([
      ['alice', 'APPROVED', '2026-01-02T10:00:00Z'],
      ['bob', 'COMMENTED', '2026-01-01T10:00:00Z'],
      [null, 'APPROVED', expect.any(String)],
      ['carol', 'PENDING', undefined],
    ]);
    expect(github.violations).toEqual([]);
  });

  it('opens issues, filters them by label and state, and answers GET /user as configured', async () => {
    await octokit.rest.issues.create({ ...repo, title: 'Production rolled back', labels: ['meta-deploy', 'incident'] });
    await octokit.rest.issues.create({ ...repo, title: 'Unrelated' });
    const { data } = await octokit.rest.issues.listForRepo({ ...repo, labels: 'meta-deploy', state: 'open' });
    expect(data.map((issue) => [issue.number, issue.title])).toEqual([[1, 'Production rolled back']]);
    expect(await statusOf(octokit.rest.users.getAuthenticated())).toBe(403);
    github.state.user = 'release-bot';
    expect((await octokit.rest.users.getAuthenticated()).data.login).toBe('release-bot');
    expect(github.violations).toEqual([]);
  });
});

describe('capture', () => {
  it('keeps every request and response, and leaves only the authorization header out of sent()', async () => {
    const [sha] = github.state.addCommits(['feat: first']);
    github.state.addPull({ number: 3, headSha: sha! });
    await octokit.rest.issues.createComment({ ...repo, issue_number: 3, body: 'planted-value-123' });
    expect(github.requests).toHaveLength(1);
    expect(github.requests[0]).toMatchObject({ method: 'POST', route: 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments', status: 201 });
    expect(JSON.parse(github.requests[0]!.body.toString())).toEqual({ body: 'planted-value-123' });
    expect(github.requests[0]!.headers.authorization).toBe('token ghs_secret-token');
    expect(github.sent()).toContain('planted-value-123');
    expect(github.sent()).not.toContain('ghs_secret-token');
  });
});

describe('faults', () => {
  const client = () => createGitHubApi({ token: github.token, baseUrl: github.url, retryBaseMs: 10, requestTimeoutMs: 2000 });
  const listTags = (octokit_: ReturnType<typeof getOctokit>) => octokit_.rest.repos.listTags(repo).then((response) => response.status);

  it('answers 500 to the next requests, which the product’s client retries', async () => {
    github.faults.add({ answer: 'server-error', times: 2 });
    const result = await client().attempt('tags', 'contents: read', listTags);
    expect(result).toEqual({ ok: true, value: 200 });
    expect(github.requests.map((request) => request.status)).toEqual([500, 500, 200]);
  });

  it('answers rate limits with GitHub’s headers, honoured by the product’s client', async () => {
    github.faults.add({ answer: 'secondary-rate-limit', status: 429, times: 1 });
    github.faults.add({ answer: 'primary-rate-limit', times: 1, when: (request) => request.route === 'GET /repos/{owner}/{repo}/tags' });
    const started = Date.now();
    const result = await client().attempt('tags', 'contents: read', listTags);
    expect(result).toEqual({ ok: true, value: 200 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(github.requests.map((request) => request.status)).toEqual([429, 403, 200]);
    expect(github.requests[0]!.responseBody).toContain('You have exceeded a secondary rate limit');
    expect(github.requests[1]!.responseBody).toContain('API rate limit exceeded for');
  });

  it('refuses one route with "Resource not accessible by integration", leaving the others alone', async () => {
    github.state.addCommits(['feat: first']);
    github.faults.add({ answer: 'not-accessible', when: (request) => request.method === 'POST' });
    expect(await statusOf(octokit.rest.repos.createDeployment({ ...repo, ref: 'main', required_contexts: [] }))).toBe(403);
    expect(await listTags(octokit)).toBe(200);
    expect(github.requests[0]!.responseBody).toContain('Resource not accessible by integration');
  });

  it('answers 422 "Validation Failed" to a request the description accepts', async () => {
    github.faults.add({ answer: 'validation-failed', times: 1 });
    expect(await statusOf(listTags(octokit))).toBe(422);
    expect(await listTags(octokit)).toBe(200);
    expect(github.requests[0]!.responseBody).toContain('Validation Failed');
  });

  it('goes down (refused or reset connections) and comes back up', async () => {
    for (const mode of ['refuse', 'reset'] as const) {
      await github.faults.down(mode);
      const result = await client().attempt('tags', 'contents: read', listTags);
      expect(result.ok).toBe(false);
      await github.faults.up();
      expect(await listTags(octokit)).toBe(200);
    }
  });

  it('delays the requests it matches', async () => {
    github.faults.add({ delayMs: 300, times: 1 });
    const started = Date.now();
    await listTags(octokit);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    const again = Date.now();
    await listTags(octokit);
    expect(Date.now() - again).toBeLessThan(300);
  });
});
