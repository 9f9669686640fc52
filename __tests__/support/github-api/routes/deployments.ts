// Deployment routes of the stand-in: create (409 when the test's conflict hook says so), list with the sha / ref /
// environment / task filters (newest first), get one; statuses create (description ≤ 140 characters, as GitHub
// enforces) and list (newest first).
import type { Deployment, DeploymentStatus } from '../state.js';
import { idParam, json, notFound, page, validationFailed, type RouteContext, type Routes } from './reply.js';

const REPO = '/repos/{owner}/{repo}';

function deploymentJson(context: RouteContext, deployment: Deployment): Record<string, unknown> {
  const url = `${context.apiUrl}/repos/${context.state.fullName}/deployments/${deployment.id}`;
  return { ...deployment, url, node_id: `DE_${deployment.id}`, statuses_url: `${url}/statuses`, repository_url: `${context.apiUrl}/repos/${context.state.fullName}`, performed_via_github_app: null };
}

function statusJson(context: RouteContext, status: DeploymentStatus): Record<string, unknown> {
  const { deployment_id: deploymentId, ...fields } = status;
  const deploymentUrl = `${context.apiUrl}/repos/${context.state.fullName}/deployments/${deploymentId}`;
  return { ...fields, url: `${deploymentUrl}/statuses/${status.id}`, node_id: `DES_${status.id}`, deployment_url: deploymentUrl, repository_url: `${context.apiUrl}/repos/${context.state.fullName}`, performed_via_github_app: null };
}

/** GitHub keeps a JSON string payload as the object it encodes. */
function payloadOf(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? {};
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

export const deploymentRoutes: Routes = {
  [`POST ${REPO}/deployments`]: (context) => {
    const { state, body } = context;
    const ref = String(body.ref);
    const sha = state.resolve(ref);
    if (!sha) return validationFailed(`No ref found for: ${ref}`);
    const conflict = state.deploymentConflict?.(body);
    if (conflict) return json({ message: conflict, documentation_url: 'https://docs.github.com/rest/deployments/deployments#create-a-deployment', status: '409' }, 409);
    const environment = (body.environment as string | undefined) ?? 'production';
    const deployment = state.addDeployment({
      sha,
      ref,
      environment,
      task: body.task as string | undefined,
      payload: payloadOf(body.payload),
      description: (body.description as string | null | undefined) ?? '',
      transient: body.transient_environment as boolean | undefined,
      production: body.production_environment as boolean | undefined,
    });
    return json(deploymentJson(context, deployment), 201);
  },

  [`GET ${REPO}/deployments`]: (context) => {
    const filters = ['sha', 'ref', 'task', 'environment'] as const;
    const matching = context.state.deployments.filter((deployment) => filters.every((key) => !context.query.has(key) || deployment[key] === context.query.get(key)));
    return page(context, matching.sort((a, b) => b.id - a.id).map((deployment) => deploymentJson(context, deployment)));
  },

  [`GET ${REPO}/deployments/{deployment_id}`]: (context) => {
    const deployment = context.state.deployments.find((candidate) => candidate.id === idParam(context, 'deployment_id'));
    return deployment ? json(deploymentJson(context, deployment)) : notFound();
  },

  [`POST ${REPO}/deployments/{deployment_id}/statuses`]: (context) => {
    const { state, body } = context;
    const deployment = state.deployments.find((candidate) => candidate.id === idParam(context, 'deployment_id'));
    if (!deployment) return notFound();
    const description = body.description as string | undefined;
    if (description !== undefined && description.length > 140) {
      const message = `description is too long (maximum is 140 characters; got ${description.length})`;
      return validationFailed('Validation Failed', [{ resource: 'DeploymentStatus', code: 'custom', field: 'description', message }], message);
    }
    const status = state.addStatus(deployment, body as Parameters<typeof state.addStatus>[1]);
    return json(statusJson(context, status), 201);
  },

  [`GET ${REPO}/deployments/{deployment_id}/statuses`]: (context) => {
    const id = idParam(context, 'deployment_id');
    if (!context.state.deployments.some((candidate) => candidate.id === id)) return notFound();
    return page(context, context.state.statusesOf(id).map((status) => statusJson(context, status)));
  },
};
