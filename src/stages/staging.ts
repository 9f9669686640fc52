// Stage 3: check the artifacts against SHA256SUMS (a changed, missing or extra file deploys nothing), deploy to
// staging and poll its smoke checks until all pass or the timeout (default 300s).
// Adds: EnvironmentData for staging (tamper check, method, deploy step, smoke checklist with elapsed/timeout,
// rollback, debug).
// Failure: staging is rolled back to what ran before, debug details are recorded, the run aborts with `failed`.
import type { StageContext, StageDefinition, StageOutcome } from '../engine/stage.js';
import type { EnvironmentData, GateRecord } from '../engine/model.js';
import { saveSnapshot, snapshotFile } from '../engine/snapshots.js';
import { providerFor } from '../providers/registry.js';
import { probingProduction } from './verify-baseline.js';
import { checksData, claimEnvironment, debugOf, deployTo, describeMethod, environmentOf, firstFailure, notDeployed, plannedPoll, pollEnvironment, providerContext, rollBack } from './rollout.js';
import { checkArtifactsBeforeDeploy, tamperReason } from './tamper-check.js';

export const stagingStage: StageDefinition<'staging'> = {
  id: 'staging',
  title: 'STAGING DEPLOYMENT',
  label: 'Staging',
  gates: ['staging:healthy'],
  onFailure: ['Rollback staging', '/debug ${failures}', 'ABORT deployment'],
  skipReason: ({ environments }) => (environments.includes('staging') ? undefined : 'staging not selected'),
  blocks: ({ config }) => {
    const staging = config.environments.staging;
    return [
      { mode: 'sequential', steps: [{ name: 'Deploy to staging environment', detail: staging ? describeMethod(staging) : undefined }] },
      {
        mode: 'sequential',
        ...plannedPoll(staging?.smoke),
        steps: [{ name: 'Run staging smoke tests', detail: staging?.smoke?.checks.map((check) => check.name).join(', ') || 'no smoke checks' }],
      },
    ];
  },

  // Production is untouched while staging runs: the time to take verify's baseline.
  run: (context) => probingProduction(context, () => deployStaging(context)),
};

async function deployStaging(context: StageContext): Promise<StageOutcome<'staging'>> {
  const environment = environmentOf(context, 'staging');
  const provider = providerFor(environment.provider);
  const data: EnvironmentData = { environment: 'staging', url: context.placeholders('staging').url || undefined, method: provider.describe(environment) };

  const claim = await claimEnvironment(context, 'staging');
  if (!claim.ok) return notDeployed('staging:healthy', data, claim.reason);
  data.tamper = await checkArtifactsBeforeDeploy(context, 'staging');
  const tampered = tamperReason('staging', data.tamper);
  if (tampered) return notDeployed('staging:healthy', data, tampered);
  const lastRecorded = await context.records.lastDeployedVersion(context.plan.target, 'staging');
  const before = await provider.snapshot(providerContext(context, environment, lastRecorded));
  if (!before.ok) {
    // Without knowing what runs now there is nothing to roll back to: do not deploy.
    return notDeployed('staging:healthy', data, `could not capture the staging snapshot, so nothing was deployed: ${before.detail}`);
  }
  // Persisted like production's, so `meta-deploy rollback --environment staging` finds it.
  await saveSnapshot(snapshotFile(context.stateDir, context.deployment.id, 'staging'), {
    target: context.plan.target,
    environment: 'staging',
    ...(before.snapshotId ? { id: before.snapshotId } : {}),
    takenAt: new Date().toISOString(),
    ...(before.version ? { version: before.version } : {}),
  });
  if (context.signal.aborted) return notDeployed('staging:healthy', data, 'cancelled before the staging deploy; staging unchanged');
  data.deploy = await deployTo(context, environment, provider);
  const steps = [data.deploy];

  let reason: string;
  if (data.deploy.status === 'passed') {
    const smoke = await pollEnvironment(context, environment, 'smoke');
    data.checks = checksData(smoke);
    const gate: GateRecord = { name: 'staging:healthy', passed: smoke.ok, detail: smoke.ok ? `${smoke.checks.length} smoke checks passed` : firstFailure(smoke) };
    if (smoke.ok) {
      const notes = smoke.checks.length ? `${smoke.checks.length}/${smoke.checks.length} smoke checks in ${Math.round(smoke.elapsedMs / 100) / 10}s` : 'deployed; no smoke checks configured';
      return { status: 'passed', notes, gates: [gate], steps, data };
    }
    data.debug = debugOf(smoke.checks);
    reason = `staging smoke checks failed: ${gate.detail}`;
  } else {
    data.debug = [{ subject: `environments.staging.deploy`, detail: data.deploy.detail, output: data.deploy.output }];
    reason = `staging deploy failed: ${data.deploy.detail}`;
  }

  data.rollback = await rollBack(context, environment, before);
  const rollbackFailed = data.rollback.status === 'failed';
  return {
    status: 'failed',
    notes: `${reason}; rollback ${data.rollback.status}`,
    gates: [{ name: 'staging:healthy', passed: false, detail: reason }],
    steps,
    data,
    failure: {
      result: 'failed',
      reason: rollbackFailed ? `${reason}; staging rollback also failed: ${data.rollback.detail}` : reason,
      ...(rollbackFailed && data.rollback.manualCommand ? { manualRollback: data.rollback.manualCommand } : {}),
    },
  };
}
