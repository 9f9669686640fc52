// This run's GitHub deployments, one per environment that runs: claimed before the environment is touched (after
// the concurrency check), created with the meta-deploy payload and an `in_progress` status linking the run, then
// moved to `success` / `failure` / `error` as the model says (deployment-states.ts), one status per change. When the
// job itself declares `environment:`, GitHub has already made this run's deployment: it is found, reported, and left
// to GitHub (no duplicate, no statuses from here). Every API error is a notice; nothing here fails a deployment
// except another run still holding the environment.
import type { EnvironmentName } from '../config/types.js';
import type { EnvironmentClaim } from '../engine/github-port.js';
import type { Deployment, GitHubDeploymentRecord } from '../engine/model.js';
import type { GitHubApi } from './client.js';
import { latestStatus, listDeployments, type ListedDeployment, type MetaDeployPayload } from './deployment-history.js';
import { shortenDescription, wantedStatus, type DeploymentState } from './deployment-states.js';
import { waitForOtherRuns } from './other-runs.js';
import type { GitHubRunContext } from './run-context.js';

export interface DeploymentTrackerOptions {
  target: string;
  version: string;
  /** `lock-timeout`: how long to wait for another run's deployment, and the age that makes one stale. */
  lockTimeoutMs: number;
  /** Time between two looks at another run's deployment (default 5 s). */
  pollIntervalMs?: number;
  /** The environment's URL for `environment_url`, when configured. */
  environmentUrl(environment: EnvironmentName): string | undefined;
  /** The snapshot id for the payload, when known at claim time. */
  snapshot(environment: EnvironmentName): string | undefined;
  /** pull_request runs deploy previews: `transient_environment`. */
  transient: boolean;
  /** The run's masker: descriptions carry reasons, which may quote command output. */
  mask(text: string): string;
  /** Told each time a deployment of this run's own is made or changes state (the action saves them for its post
   *  step, which closes them if the main step is killed). */
  onChange?(records: GitHubDeploymentRecord[]): void;
}

export interface DeploymentTracker {
  /** Waits for another run's deployment of the environment (ok:false naming it after lock-timeout), then creates
   *  this run's deployment (in_progress), or finds the one GitHub made for the job's `environment:`. */
  claim(environment: EnvironmentName, signal: AbortSignal): Promise<EnvironmentClaim>;
  /** After each stage: every deployment's status catches up with the model (one status per change). */
  follow(deployment: Deployment): Promise<void>;
  /** The run is over: what is still in progress gets its final status (`error` with the reason if unfinished). */
  close(deployment: Deployment): Promise<void>;
  records(): GitHubDeploymentRecord[];
  /** For the `deployment-id` output: production's, else the last environment's. */
  deploymentId(): string | undefined;
}

/** Deployments read per environment: enough to see the runs of the last lock-timeout. */
const LISTED_PER_ENVIRONMENT = 10;
/** Actions-made deployments looked at for the job's own (it is made when the job starts: the newest one). */
const JOB_DEPLOYMENTS_LOOKED_AT = 2;
const ACTIONS_LOGIN = 'github-actions[bot]';

export function createDeploymentTracker(api: GitHubApi, context: GitHubRunContext, options: DeploymentTrackerOptions): DeploymentTracker {
  const tracked: GitHubDeploymentRecord[] = [];
  /** A token that may not create deployments (a 403, already a notice) is not asked again for the next environment. */
  let createRefused = false;
  const repo = { owner: context.owner, repo: context.repo };
  const runPattern = new RegExp(`/actions/runs/${context.runId}(?:[/?#]|$)`);

  const environmentPage = (environment: string) => `${context.serverUrl}/${context.owner}/${context.repo}/deployments/${encodeURIComponent(environment)}`;

  async function findJobDeployment(listed: ListedDeployment[]): Promise<{ id: number; state: string } | undefined> {
    const candidates = listed.filter((deployment) => !deployment.meta && deployment.creator === ACTIONS_LOGIN).slice(0, JOB_DEPLOYMENTS_LOOKED_AT);
    const found = await api.attempt('deployments', 'deployments: read', async (octokit) => {
      for (const deployment of candidates) {
        const status = await latestStatus(octokit, context, deployment.id);
        if (runPattern.test(status.logUrl)) return { id: deployment.id, state: status.state };
      }
      return undefined;
    });
    return found.ok ? found.value : undefined;
  }

  const changed = () => options.onChange?.(tracked.filter((record) => !record.createdByJob).map((record) => ({ ...record })));

  async function post(record: GitHubDeploymentRecord, state: DeploymentState, description: string): Promise<void> {
    const environmentUrl = options.environmentUrl(record.environment);
    const posted = await api.attempt('deployment statuses', 'deployments: write', (octokit) =>
      octokit.rest.repos.createDeploymentStatus({
        ...repo,
        deployment_id: record.id,
        state,
        description: shortenDescription(options.mask(description)),
        log_url: context.runUrl,
        ...(environmentUrl ? { environment_url: environmentUrl } : {}),
      }),
    );
    if (posted.ok) {
      record.state = state;
      changed();
    }
  }

  async function catchUp(deployment: Deployment, runEnded: boolean): Promise<void> {
    for (const record of tracked) {
      if (record.createdByJob) continue;
      const wanted = wantedStatus(record.environment, deployment, runEnded);
      if (wanted && wanted.state !== record.state) await post(record, wanted.state, wanted.description);
    }
  }

  return {
    async claim(environment, signal) {
      const listed = await api.attempt('deployments', 'deployments: read', (octokit) => listDeployments(octokit, context, environment, LISTED_PER_ENVIRONMENT));
      if (listed.ok) {
        const waited = await waitForOtherRuns(api, context, listed.value, {
          environment,
          target: options.target,
          lockTimeoutMs: options.lockTimeoutMs,
          pollIntervalMs: options.pollIntervalMs ?? 5000,
          signal,
        });
        if (!waited.ok) return waited;
        const own = await findJobDeployment(listed.value);
        if (own) {
          const state = own.state === 'success' || own.state === 'failure' || own.state === 'error' ? own.state : 'in_progress';
          tracked.push({ environment, id: own.id, state, url: environmentPage(environment), createdByJob: true });
          return { ok: true };
        }
      }
      if (createRefused) return { ok: true };
      const snapshot = options.snapshot(environment);
      const payload: MetaDeployPayload = {
        tool: 'meta-deploy',
        target: options.target,
        version: options.version,
        ...(snapshot ? { snapshot } : {}),
        runId: context.runId,
        runUrl: context.runUrl,
      };
      const created = await api.attempt('deployments', 'deployments: write', async (octokit) => {
        const { data } = await octokit.rest.repos.createDeployment({
          ...repo,
          ref: context.sha,
          environment,
          required_contexts: [],
          auto_merge: false,
          production_environment: environment === 'production',
          transient_environment: options.transient,
          description: shortenDescription(options.mask(`meta-deploy ${options.target} ${options.version}`)),
          payload: { ...payload },
        });
        // 202 is GitHub's "auto-merged" answer, without a deployment (not expected with auto_merge: false).
        return 'id' in data ? data.id : undefined;
      });
      if (!created.ok) {
        createRefused = created.reason.startsWith('HTTP 403');
        return { ok: true };
      }
      if (created.value === undefined) {
        api.notices.push(`GitHub deployments: no deployment of ${environment} was created (GitHub answered without one)`);
        return { ok: true };
      }
      const record: GitHubDeploymentRecord = { environment, id: created.value, state: 'in_progress', url: environmentPage(environment) };
      tracked.push(record);
      // Saved before its first status: a main step killed from here on leaves it to its post step.
      changed();
      await post(record, 'in_progress', `deploying ${options.target} ${options.version}`);
      return { ok: true };
    },
    follow: (deployment) => catchUp(deployment, false),
    close: (deployment) => catchUp(deployment, true),
    records: () => tracked.map((record) => ({ ...record })),
    deploymentId() {
      const chosen = tracked.find((record) => record.environment === 'production') ?? tracked.at(-1);
      return chosen ? String(chosen.id) : undefined;
    },
  };
}
