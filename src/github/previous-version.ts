// The version an environment ran before this run, from GitHub when the local records do not know it (a fresh
// runner): the payload version of the environment's most recent meta-deploy deployment of the same target whose
// latest status is `success`. A few calls at most: one short page of deployments, one status each for the newest few.
import type { GitHubApi } from './client.js';
import { latestStatus, listDeployments } from './deployment-history.js';
import type { GitHubRunContext } from './run-context.js';

const LISTED = 10;
/** Deployments whose status is read: past this many failed or unfinished ones, the answer is "not known". */
const STATUSES_READ = 3;

export async function lastSuccessfulVersion(api: GitHubApi, context: GitHubRunContext, target: string, environment: string): Promise<string | undefined> {
  const found = await api.attempt('previous version', 'deployments: read', async (octokit) => {
    const listed = await listDeployments(octokit, context, environment, LISTED);
    const ours = listed.filter((deployment) => deployment.meta?.target === target).slice(0, STATUSES_READ);
    for (const deployment of ours) {
      if ((await latestStatus(octokit, context, deployment.id)).state === 'success') return deployment.meta!.version;
    }
    return undefined;
  });
  return found.ok ? found.value : undefined;
}
