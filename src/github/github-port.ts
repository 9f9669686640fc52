// The engine's GitHub port, assembled from the GitHub modules for one run: deployments (with the wait for other
// runs), the review gate, the sticky PR comment, the tag and release, the alert issue. Every method is guarded: a
// bug or an unexpected answer here becomes a notice, never a thrown error in the middle of a deployment. A stage's
// updates (statuses, the comment) are sent in the background, in order: nothing waits on GitHub between the
// production deploy and its verification; the next claim and the end of the run wait for them.
import type { EnvironmentName } from '../config/types.js';
import type { GitHubPort, PublishedRelease } from '../engine/github-port.js';
import type { ApprovalRecord, Deployment, GitHubDeploymentRecord, GitHubFacts } from '../engine/model.js';
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
  /** Told each time a deployment this run made is created or changes state. */
  onDeploymentsChanged?(records: GitHubDeploymentRecord[]): void;
}

/** An environment's address as GitHub shows it to everyone: without `user:password@`, masked, http(s) only. */
function publicUrl(url: string, mask: (text: string) => string): string | undefined {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    if (parsed.username || parsed.password) {
      parsed.username = '';
      parsed.password = '';
      return mask(parsed.toString());
    }
    return mask(url);
  } catch {
    return undefined;
  }
}

export function createGitHubPort(options: GitHubPortOptions): GitHubPort {
  const { api, context, plan } = options;
  const findPullRequest = pullRequestFinder(api, context);
  let snapshotId: string | undefined;
  const urls: Partial<Record<EnvironmentName, string>> = {};
  const deployments = createDeploymentTracker(api, context, {
    target: plan.target,
    version: plan.version,
    lockTimeoutMs: plan.lockTimeoutMs,
    ...(options.lockPollIntervalMs ? { pollIntervalMs: options.lockPollIntervalMs } : {}),
    environmentUrl: (environment) => urls[environment],
    snapshot: (environment) => (environment === 'production' ? snapshotId : undefined),
    transient: /^pull_request/.test(context.eventName),
    mask: options.mask,
    ...(options.onDeploymentsChanged ? { onChange: options.onDeploymentsChanged } : {}),
  });
  const comment = options.comment ? createStickyComment(api, context, findPullRequest, plan.target) : undefined;
  let release: GitHubFacts['release'];
  let alertIssue: GitHubFacts['alertIssue'];
  const bugs: string[] = [];
  /** GitHub work of this run, one after another, in the order the stages asked for it. */
  let queue: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(work: () => Promise<T>): Promise<T> => {
    const done = queue.then(work);
    queue = done;
    return done;
  };

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
    claimEnvironment: (environment, signal, url) => {
      const shown = url && publicUrl(url, options.mask);
      if (shown) urls[environment] = shown;
      return inOrder(() => guarded(`${environment} deployment`, () => deployments.claim(environment, signal), { ok: true }));
    },
    stageFinished: async (record, d) => {
      if (d.snapshotId) snapshotId = d.snapshotId;
      void inOrder(() =>
        guarded(
          'stage update',
          async () => {
            await deployments.follow(d);
            // The final edit comes right after finalize, with the whole story.
            if (comment && record.id !== 'finalize') await comment.update(body(d, false), record.id);
          },
          undefined,
        ),
      );
    },
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
      inOrder(() => guarded(
        'finish',
        async () => {
          await deployments.close(d);
          if (plan.config.finalize.alertIssue) alertIssue = await raiseAlertIssue(api, context, d, plan.config.finalize.alertIssue);
          await comment?.final(body(d, true));
        },
        undefined,
      )),
    facts,
    deploymentId: () => deployments.deploymentId(),
    notices: () => [...api.notices, ...bugs],
  };
}
