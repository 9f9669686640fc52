// The engine's GitHub port, assembled from the GitHub modules for one run: deployments (with the wait for other
// runs), the review gate, the sticky PR comment, the tag and release, the alert issue. Every method is guarded: a
// bug or an unexpected answer here becomes a notice, never a thrown error in the middle of a deployment.
import type { GitHubPort, PublishedRelease } from '../engine/github-port.js';
import type { ApprovalRecord, Deployment, GitHubFacts } from '../engine/model.js';
import type { DeployPlan } from '../plan/types.js';
import { renderPrComment } from '../report/pr-comment.js';
import { raiseAlertIssue } from './alert-issue.js';
import { countApprovals } from './approvals.js';
import type { GitHubApi } from './client.js';
import { createDeploymentTracker } from './deployments.js';
import { pullRequestFinder } from './pull-request.js';
import { publishRelease } from './release.js';
import type { GitHubRunContext } from './run-context.js';
import { commentMarker, createStickyComment } from './sticky-comment.js';

export interface GitHubPortOptions {
  api: GitHubApi;
  context: GitHubRunContext;
  plan: DeployPlan;
  /** The `comment` input: `update` keeps one sticky comment per target on the pull request. */
  comment: boolean;
  mask: (text: string) => string;
  /** Time between two looks at another run's deployment (tests shorten it). */
  lockPollIntervalMs?: number;
}

export function createGitHubPort(options: GitHubPortOptions): GitHubPort {
  const { api, context, plan } = options;
  const findPullRequest = pullRequestFinder(api, context);
  let snapshotId: string | undefined;
  const deployments = createDeploymentTracker(api, context, {
    target: plan.target,
    version: plan.version,
    lockTimeoutMs: plan.lockTimeoutMs,
    ...(options.lockPollIntervalMs ? { pollIntervalMs: options.lockPollIntervalMs } : {}),
    environmentUrl: (environment) => plan.config.environments[environment]?.url,
    snapshot: (environment) => (environment === 'production' ? snapshotId : undefined),
    transient: /^pull_request/.test(context.eventName),
    mask: options.mask,
  });
  const comment = options.comment ? createStickyComment(api, context, findPullRequest, plan.target) : undefined;
  let release: GitHubFacts['release'];
  let alertIssue: GitHubFacts['alertIssue'];
  const bugs: string[] = [];

  const facts = (): GitHubFacts => {
    const posted = comment?.record();
    return {
      repository: `${context.owner}/${context.repo}`,
      runUrl: context.runUrl,
      deployments: deployments.records(),
      ...(posted ? { comment: posted } : {}),
      ...(release ? { release } : {}),
      ...(alertIssue ? { alertIssue } : {}),
      apiCalls: api.calls(),
    };
  };
  const body = (d: Deployment, final: boolean) => renderPrComment({ ...d, github: facts() }, { final, runUrl: context.runUrl, marker: commentMarker(plan.target) });

  /** A throw here is a bug of ours; the deployment must not pay for it. */
  async function guarded<T>(what: string, work: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await work();
    } catch (error) {
      bugs.push(`GitHub ${what}: internal error, skipped: ${(error as Error).message}`);
      return fallback;
    }
  }

  return {
    countApprovals: (required) => {
      const failed: ApprovalRecord = { required, status: 'failed', detail: 'cannot count approvals: internal error (see the notices)' };
      return guarded('approvals', () => countApprovals(api, context, findPullRequest, required, plan.config.validate.review.noPullRequest), failed);
    },
    claimEnvironment: (environment, signal) => guarded(`${environment} deployment`, () => deployments.claim(environment, signal), { ok: true }),
    stageFinished: (record, d) =>
      guarded(
        'stage update',
        async () => {
          if (d.snapshotId) snapshotId = d.snapshotId;
          await deployments.follow(d);
          // The final edit comes right after finalize, with the whole story.
          if (comment && record.id !== 'finalize') await comment.update(body(d, false), record.id);
        },
        undefined,
      ),
    release: (input) =>
      guarded(
        'release',
        async (): Promise<PublishedRelease> => {
          const published = await publishRelease(api, context, input);
          release = { tag: published.tag.name, ...(published.releaseUrl ? { url: published.releaseUrl } : {}), status: (published.release ?? published.tag).status, detail: published.release?.detail ?? published.tag.detail };
          return published;
        },
        { tag: { name: input.tag, status: 'warning', detail: 'not tagged: internal error (see the notices)' } },
      ),
    finished: (d) =>
      guarded(
        'finish',
        async () => {
          await deployments.close(d);
          if (plan.config.finalize.alertIssue) alertIssue = await raiseAlertIssue(api, context, d, plan.config.finalize.alertIssue);
          await comment?.final(body(d, true));
        },
        undefined,
      ),
    facts,
    notices: () => [...api.notices, ...bugs],
  };
}
