// Concurrency across runners: before this run deploys an environment, another run's meta-deploy deployment of the
// same target there must not still be in progress. One that is gets waited for (polled) up to lock-timeout, and then
// the environment is refused, naming it. One whose workflow run has ended (a killed job leaves its deployment
// in_progress), or, when the run cannot be read, one created longer ago than lock-timeout, was left by a run that
// died: it is reported and not waited for. The scan stops at the newest finished deployment: the run that made it had already
// waited for, or reported, everything older.
import { setTimeout as delay } from 'node:timers/promises';
import { formatDuration } from '../config/units.js';
import type { EnvironmentClaim } from '../engine/github-port.js';
import type { GitHubApi } from './client.js';
import { latestStatus, RUNNING_STATES, type ListedDeployment } from './deployment-history.js';
import type { GitHubRunContext } from './run-context.js';

export interface OtherRunsOptions {
  environment: string;
  target: string;
  lockTimeoutMs: number;
  /** Time between two looks at a deployment being waited for. */
  pollIntervalMs: number;
  signal: AbortSignal;
}

interface RunReading {
  readable: boolean;
}

interface Running {
  id: number;
  logUrl: string;
  runId: number;
}

/** How the workflow run that made a deployment ended ("completed, cancelled"), or undefined while it runs or when it
 *  cannot be read (then only the deployment's age tells). */
async function runEnded(api: GitHubApi, context: GitHubRunContext, runId: number, runs: RunReading): Promise<string | undefined> {
  if (!runs.readable) return undefined;
  const run = await api.attempt('deployment concurrency check', 'actions: read', async (octokit) => (await octokit.rest.actions.getWorkflowRun({ owner: context.owner, repo: context.repo, run_id: runId })).data);
  // Refused once (no `actions: read`), said once: the age rule alone decides from then on.
  if (!run.ok) runs.readable = false;
  return run.ok && run.value.status === 'completed' ? `completed${run.value.conclusion ? `, ${run.value.conclusion}` : ''}` : undefined;
}

function leftBehind(api: GitHubApi, deployment: Running, target: string, environment: string, why: string): void {
  api.notices.push(`GitHub deployment #${deployment.id} of ${target} to ${environment} (${deployment.logUrl}) is still in progress, but ${why}: left by a run that died, not waited for`);
}

/** ok:false only while another run still holds the environment; an API error is a notice and lets this run go. */
export async function waitForOtherRuns(api: GitHubApi, context: GitHubRunContext, listed: ListedDeployment[], options: OtherRunsOptions): Promise<EnvironmentClaim> {
  const { environment, target, lockTimeoutMs } = options;
  const others = listed.filter((deployment) => deployment.meta && deployment.meta.target === target && deployment.meta.runId !== context.runId);
  const scan = await api.attempt('deployment concurrency check', 'deployments: read', async (octokit) => {
    const running: Running[] = [];
    for (const deployment of others) {
      const status = await latestStatus(octokit, context, deployment.id);
      if (!RUNNING_STATES.has(status.state)) break;
      const candidate = { id: deployment.id, logUrl: status.logUrl || deployment.meta!.runUrl, runId: deployment.meta!.runId };
      const ageMs = Date.now() - Date.parse(deployment.createdAt);
      if (ageMs > lockTimeoutMs) leftBehind(api, candidate, target, environment, `it is ${formatDuration(ageMs)} old, older than lock-timeout (${formatDuration(lockTimeoutMs)})`);
      else running.push(candidate);
    }
    return running;
  });
  if (!scan.ok) return { ok: true };
  const runs: RunReading = { readable: true };
  let running = await stillRunning(api, context, scan.value, target, environment, runs);
  const deadline = Date.now() + lockTimeoutMs;
  while (running.length > 0) {
    const first = running[0]!;
    const holder = `another run is deploying ${target} to ${environment}: deployment #${first.id} (${first.logUrl})`;
    if (options.signal.aborted) return { ok: false, reason: `cancelled while waiting: ${holder}` };
    const leftMs = deadline - Date.now();
    if (leftMs <= 0) return { ok: false, reason: `${holder}, still in progress after ${formatDuration(lockTimeoutMs)}` };
    await delay(Math.min(options.pollIntervalMs, leftMs), undefined, { signal: options.signal }).catch(() => undefined);
    if (options.signal.aborted) continue;
    const look = await api.attempt('deployment concurrency check', 'deployments: read', async (octokit) => {
      const still: Running[] = [];
      for (const deployment of running) {
        if (RUNNING_STATES.has((await latestStatus(octokit, context, deployment.id)).state)) still.push(deployment);
      }
      return still;
    });
    if (!look.ok) return { ok: true };
    running = await stillRunning(api, context, look.value, target, environment, runs);
  }
  return { ok: true };
}

/** Those whose workflow run has not ended. */
async function stillRunning(api: GitHubApi, context: GitHubRunContext, running: Running[], target: string, environment: string, runs: RunReading): Promise<Running[]> {
  const still: Running[] = [];
  for (const deployment of running) {
    const ended = await runEnded(api, context, deployment.runId, runs);
    if (ended) leftBehind(api, deployment, target, environment, `its workflow run has ended (${ended})`);
    else still.push(deployment);
  }
  return still;
}
