// Reading an environment's GitHub deployment history: its recent deployments (newest first), the meta-deploy payload
// that marks the ones a meta-deploy run made (target, version, the run), and the latest status of one deployment.
// The concurrency check, the job's own deployment and the previous version all read it; none of it writes.
import type { Octokit } from './client.js';
import type { GitHubRunContext } from './run-context.js';

/** What meta-deploy writes in each deployment's payload: `tool` is the marker other runs recognise it by. */
export interface MetaDeployPayload {
  tool: 'meta-deploy';
  target: string;
  version: string;
  /** The snapshot production can be rolled back to, when known when the deployment was created. */
  snapshot?: string;
  runId: number;
  runUrl: string;
}

export interface ListedDeployment {
  id: number;
  createdAt: string;
  creator?: string;
  /** Absent for deployments meta-deploy did not make (a job's `environment:`, another tool). */
  meta?: MetaDeployPayload;
}

export interface LatestStatus {
  /** `pending` when the deployment has no status yet (it was just created). */
  state: string;
  /** The status's log_url, else its target_url ('' when neither). */
  logUrl: string;
}

/** States of a deployment whose run is still at work. */
export const RUNNING_STATES = new Set(['in_progress', 'queued', 'pending']);

export function readPayload(payload: unknown): MetaDeployPayload | undefined {
  let value = payload;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Partial<Record<keyof MetaDeployPayload, unknown>>;
  if (fields.tool !== 'meta-deploy' || typeof fields.target !== 'string' || typeof fields.version !== 'string' || typeof fields.runId !== 'number') return undefined;
  return {
    tool: 'meta-deploy',
    target: fields.target,
    version: fields.version,
    ...(typeof fields.snapshot === 'string' ? { snapshot: fields.snapshot } : {}),
    runId: fields.runId,
    runUrl: typeof fields.runUrl === 'string' ? fields.runUrl : '',
  };
}

/** One page of the environment's deployments, newest first (GitHub's order). */
export async function listDeployments(octokit: Octokit, context: GitHubRunContext, environment: string, perPage: number): Promise<ListedDeployment[]> {
  const { data } = await octokit.rest.repos.listDeployments({ owner: context.owner, repo: context.repo, environment, per_page: perPage });
  return data.map((deployment) => {
    const meta = readPayload(deployment.payload);
    return { id: deployment.id, createdAt: deployment.created_at, ...(deployment.creator ? { creator: deployment.creator.login } : {}), ...(meta ? { meta } : {}) };
  });
}

export async function latestStatus(octokit: Octokit, context: GitHubRunContext, deploymentId: number): Promise<LatestStatus> {
  const { data } = await octokit.rest.repos.listDeploymentStatuses({ owner: context.owner, repo: context.repo, deployment_id: deploymentId, per_page: 1 });
  const latest = data[0];
  return latest ? { state: latest.state, logUrl: latest.log_url || latest.target_url || '' } : { state: 'pending', logUrl: '' };
}
