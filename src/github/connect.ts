// The GitHub side of one action run, from the token and the Actions context: the client, the run's place on GitHub,
// what the plan reads through the API (tags and commits for the version, production's last successful deployment
// for the previous version), and, once the plan exists, the engine's port.
import { context as actionsContext } from '@actions/github';
import type { GitHubPort } from '../engine/github-port.js';
import type { PlanContext } from '../plan/plan-deploy.js';
import type { DeployPlan } from '../plan/types.js';
import { createGitHubApi, type GitHubApi } from './client.js';
import { createGitHubPort, type GitHubPortOptions } from './github-port.js';
import { lastSuccessfulVersion } from './previous-version.js';
import { githubReleaseHistory } from './release-history.js';
import { readRunContext, type GitHubRunContext } from './run-context.js';

export interface GitHubConnection {
  api: GitHubApi;
  context: GitHubRunContext;
  /** For prepareRun: the release history and the previous-version lookup through the API. */
  planSources: Required<Pick<PlanContext, 'history' | 'previousVersion'>>;
  port(plan: DeployPlan, options: Pick<GitHubPortOptions, 'comment' | 'mask' | 'onDeploymentsChanged'>): GitHubPort;
}

/** The client and the run's place on GitHub, for a step that needs only those (the post step). */
export function connectApi(token: string): Pick<GitHubConnection, 'api' | 'context'> {
  // GITHUB_API_URL (GHES, or a stand-in on loopback), as @actions/github read it.
  return { api: createGitHubApi({ token, baseUrl: actionsContext.apiUrl }), context: readRunContext() };
}

export function connectGitHub(token: string, workspace: string): GitHubConnection {
  const { api, context } = connectApi(token);
  return {
    api,
    context,
    planSources: {
      history: githubReleaseHistory(api, context, workspace),
      previousVersion: (target) => lastSuccessfulVersion(api, context, target, 'production'),
    },
    port: (plan, options) => createGitHubPort({ api, context, plan, ...options }),
  };
}
