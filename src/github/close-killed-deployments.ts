// The GitHub deployments of a main step that was killed, closed by the action's post step: each one the main step
// left in progress gets its final status from what the post step's recovery found (killedRunStatus), linking the run.
// As for every GitHub call of a run, a refusal or an outage is a notice, never a failure.
import type { EnvironmentName } from '../config/types.js';
import type { GitHubDeploymentRecord } from '../engine/model.js';
import type { Recovery } from '../engine/recover-killed-run.js';
import type { GitHubApi } from './client.js';
import { killedRunStatus, shortenDescription, type DeploymentState } from './deployment-states.js';
import type { GitHubRunContext } from './run-context.js';

export interface ClosedDeployment {
  environment: EnvironmentName;
  id: number;
  state: DeploymentState;
  description: string;
}

/** Posts the final status of each saved deployment still in progress; returns those GitHub accepted. */
export async function closeKilledRunDeployments(
  api: GitHubApi,
  context: GitHubRunContext,
  saved: GitHubDeploymentRecord[],
  recovery: Recovery,
  mask: (text: string) => string,
): Promise<ClosedDeployment[]> {
  const closed: ClosedDeployment[] = [];
  for (const record of saved.filter((one) => one.state === 'in_progress')) {
    const wanted = killedRunStatus(record.environment, recovery);
    const description = shortenDescription(mask(wanted.description));
    const posted = await api.attempt('deployment statuses', 'deployments: write', (octokit) =>
      octokit.rest.repos.createDeploymentStatus({ owner: context.owner, repo: context.repo, deployment_id: record.id, state: wanted.state, description, log_url: context.runUrl }),
    );
    if (posted.ok) closed.push({ environment: record.environment, id: record.id, state: wanted.state, description });
  }
  return closed;
}
