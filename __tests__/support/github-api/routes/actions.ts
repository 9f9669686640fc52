// Workflow runs: GET /repos/{o}/{r}/actions/runs/{run_id} answers a run's status (queued, in_progress, completed)
// and conclusion, as seeded with `state.runs`; a run not seeded is one still in progress.
import { json, notFound, type Routes } from './reply.js';

export const actionsRoutes: Routes = {
  'GET /repos/{owner}/{repo}/actions/runs/{run_id}': ({ state, params }) => {
    const id = Number(params.run_id);
    if (!Number.isInteger(id)) return notFound();
    const run = state.runs.get(id) ?? { status: 'in_progress', conclusion: null };
    return json({
      id,
      name: 'deploy',
      node_id: `WFR_${id}`,
      head_branch: state.defaultBranch,
      head_sha: state.head() ?? '',
      path: '.github/workflows/deploy.yml',
      run_number: id,
      event: 'push',
      status: run.status,
      conclusion: run.conclusion,
      workflow_id: 1,
      url: `https://api.github.test/repos/${state.fullName}/actions/runs/${id}`,
      html_url: state.htmlUrl(`/actions/runs/${id}`),
      created_at: '2026-11-30T00:00:00Z',
      updated_at: '2026-11-30T00:00:00Z',
    });
  },
};
