// Which GitHub deployment status each environment should show, read from the deployment model alone: staging is
// `success` once its stage passed; production only once verify passed (or there is none), and `failure` with
// "rolled back to 1.4.2" (or "rollback failed: …") when it or verify rolled back. When the run is over, an
// environment still in progress gets `error` (cancelled, or stopped elsewhere) with the reason. A run whose main step
// was killed is judged by what the post step's recovery found (killedRunStatus).
import type { EnvironmentName } from '../config/types.js';
import type { Deployment, RollbackRecord, StageRecord } from '../engine/model.js';
import type { Recovery } from '../engine/recover-killed-run.js';

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error';

export interface WantedStatus {
  state: DeploymentState;
  description: string;
}

/** GitHub refuses deployment status descriptions over 140 characters. */
const MAX_DESCRIPTION = 140;

export function shortenDescription(text: string): string {
  const chars = [...text];
  return chars.length <= MAX_DESCRIPTION ? text : `${chars.slice(0, MAX_DESCRIPTION - 1).join('')}…`;
}

const PASSED = new Set(['passed', 'warning']);
const FAILED = new Set(['failed', 'rolled-back']);

/** The status `environment` should have now; undefined while it is still being deployed or verified. */
export function wantedStatus(environment: EnvironmentName, deployment: Deployment, runEnded: boolean): WantedStatus | undefined {
  const wanted = environment === 'staging' ? stagingStatus(deployment) : productionStatus(deployment);
  if (wanted || !runEnded) return wanted;
  const why = deployment.reason ?? `the run ended before ${environment} finished`;
  return { state: 'error', description: why };
}

function stagingStatus(deployment: Deployment): WantedStatus | undefined {
  const staging = deployment.stages.staging;
  if (PASSED.has(staging.status)) return { state: 'success', description: `${deployment.target} ${deployment.version} deployed to staging: ${staging.notes}` };
  if (FAILED.has(staging.status)) return { state: 'failure', description: failureDescription(deployment, staging, staging.data?.rollback, staging.data?.rollback?.snapshotId) };
  return undefined;
}

function productionStatus(deployment: Deployment): WantedStatus | undefined {
  const { production, verify } = deployment.stages;
  const restored = deployment.previousVersion ?? production.data?.snapshot?.version;
  if (FAILED.has(production.status)) return { state: 'failure', description: failureDescription(deployment, production, production.data?.rollback, restored) };
  if (!PASSED.has(production.status)) return undefined;
  if (FAILED.has(verify.status)) return { state: 'failure', description: failureDescription(deployment, verify, verify.data?.rollback, restored) };
  if (PASSED.has(verify.status)) return { state: 'success', description: `${deployment.target} ${deployment.version} deployed and verified: ${verify.notes}` };
  if (verify.status === 'skipped') return { state: 'success', description: `${deployment.target} ${deployment.version} deployed (not verified: ${verify.notes})` };
  return undefined;
}

/** The rollback first (it is what the environment runs now), then why. */
function failureDescription(deployment: Deployment, stage: StageRecord, rollback: RollbackRecord | undefined, restored: string | undefined): string {
  const reason = deployment.failedStage === stage.id && deployment.reason ? deployment.reason : stage.notes;
  if (rollback?.status === 'passed') return `rolled back to ${restored ?? rollback.snapshotId ?? 'what ran before'}: ${reason}`;
  if (rollback?.status === 'failed') return rollback.detail.startsWith('rollback failed') ? rollback.detail : `rollback failed: ${rollback.detail}`;
  return `${stage.id} failed: ${reason}`;
}

/** The final status of an environment of a run whose main step was killed, from the post step's recovery: `success`
 *  where the run's version stays and passed its checks (staging passed, or production verified before the kill),
 *  `failure` for production rolled back or left unverified by a failed rollback, `error` where the run stopped
 *  before the environment was finished (for staging, a deploy may have been cut short: the description says where). */
export function killedRunStatus(environment: EnvironmentName, recovery: Recovery): WantedStatus {
  const { record, rollback } = recovery;
  const stays = record.deployedTo.includes(environment);
  if (environment === 'staging' && stays) return { state: 'success', description: `${record.target} ${record.version} deployed to staging; the run was then stopped ${recovery.stoppedAt}` };
  if (environment === 'production' && stays && record.result === 'success') return { state: 'success', description: record.reason ?? `${record.target} ${record.version} deployed and verified` };
  // Rolled back by the post step, by the main step before it was killed, or left unverified by a failed rollback.
  if (environment === 'production' && (rollback || stays || record.result === 'rolled-back')) return { state: 'failure', description: record.reason ?? 'stopped with production in flight' };
  return { state: 'error', description: record.reason ?? `stopped ${recovery.stoppedAt}` };
}
