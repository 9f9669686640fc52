// Stage 4: check the artifacts against SHA256SUMS (a changed, missing or extra file deploys nothing), snapshot what
// runs now (persisted before anything changes), top up the verify baseline, deploy, and poll health within the
// timeout (default 60s).
// Adds: ProductionData (tamper check, snapshot id/time/version/rollback command, deploy step, health checklist,
// rollback, debug).
// Failure: automatic rollback to the snapshot and a health re-check: `rolled-back` if healthy again, else `failed`
// with the command to roll back by hand.
import { expandText } from '../exec/placeholders.js';
import { formatManualRollbackCommand } from '../engine/manual-rollback-command.js';
import { saveSnapshot, snapshotFile } from '../engine/snapshots.js';
import type { GateRecord, ProductionData, SnapshotRecord } from '../engine/model.js';
import type { StageContext, StageDefinition, StageOutcome } from '../engine/stage.js';
import { topUpBaseline } from './verify-baseline.js';
import { providerFor } from '../providers/registry.js';
import { checksData, claimEnvironment, debugOf, deployTo, describeMethod, environmentOf, firstFailure, notDeployed, plannedPoll, pollEnvironment, providerContext, rollBack, afterProductionRollback } from './rollout.js';
import { checkArtifactsBeforeDeploy, tamperReason } from './tamper-check.js';

export const productionStage: StageDefinition<'production'> = {
  id: 'production',
  title: 'PRODUCTION DEPLOYMENT',
  label: 'Production',
  gates: ['production:healthy'],
  onFailure: ['Automatic rollback', '/debug ${failure}', 'ALERT: deployment failed'],
  skipReason: ({ environments }) => (environments.includes('production') ? undefined : 'production not selected'),
  blocks: ({ config }) => {
    const production = config.environments.production;
    return [
      { mode: 'sequential', steps: [{ name: 'Capture production state (for rollback)' }] },
      { mode: 'sequential', steps: [{ name: 'Deploy to production', detail: production ? describeMethod(production) : undefined }] },
      {
        mode: 'sequential',
        ...plannedPoll(production?.health),
        steps: [{ name: 'Health check production', detail: production?.health?.checks.map((check) => check.name).join(', ') || 'no health checks' }],
      },
    ];
  },

  async run(context): Promise<StageOutcome<'production'>> {
    const environment = environmentOf(context, 'production');
    const provider = providerFor(environment.provider);
    const data: ProductionData = { environment: 'production', url: context.placeholders('production').url || undefined, method: provider.describe(environment) };

    const claim = await claimEnvironment(context, 'production');
    if (!claim.ok) return notDeployed('production:healthy', data, claim.reason);
    data.tamper = await checkArtifactsBeforeDeploy(context, 'production');
    const tampered = tamperReason('production', data.tamper);
    if (tampered) return notDeployed('production:healthy', data, tampered);
    // 1. Snapshot, persisted before anything changes, so a crash after this point can still be rolled back.
    const lastRecorded = await context.records.lastDeployedVersion(context.plan.target, 'production');
    const snapshot = await provider.snapshot(providerContext(context, environment, lastRecorded));
    if (!snapshot.ok) {
      return notDeployed('production:healthy', data, `could not capture the production snapshot: ${snapshot.detail}`);
    }
    const record: SnapshotRecord = {
      ...(snapshot.snapshotId ? { id: snapshot.snapshotId, rollbackCommand: formatManualRollbackCommand({ program: context.cli, workspace: context.workspace, configFile: context.plan.configFile, target: context.plan.target, environment: 'production', snapshotId: snapshot.snapshotId }) } : {}),
      takenAt: new Date().toISOString(),
      ...(snapshot.version ? { version: snapshot.version } : {}),
      file: snapshotFile(context.stateDir, context.deployment.id, 'production'),
    };
    await saveSnapshot(record.file, { target: context.plan.target, environment: 'production', ...record });
    data.snapshot = record;
    context.scratch.productionSnapshotId = snapshot.snapshotId;
    context.scratch.productionSnapshotVersion = snapshot.version;

    // Nothing runs before a first deployment, so there is nothing to compare against (what staging's probes got was
    // refused connections): verify then applies only the absolute limits, and the report says there was no baseline.
    // Without a snapshot id (no snapshot command, no records on a fresh runner) a production that answered the
    // baseline probes still ran something.
    context.scratch.firstDeployment = !snapshot.snapshotId && !(context.scratch.baseline ?? []).some((sample) => sample.ok);
    if (context.scratch.firstDeployment) delete context.scratch.baseline;
    else await topUpBaseline(context);
    if (context.signal.aborted) return notDeployed('production:healthy', data, 'cancelled before the production deploy; production unchanged');

    // 2. Deploy, 3. health. From here until a healthy verdict, a dead run is rolled back by the post step.
    context.inFlight.opened({
      environment: 'production',
      snapshotId: snapshot.snapshotId,
      ...(snapshot.version ? { snapshotVersion: snapshot.version } : {}),
      version: context.plan.version,
      target: context.plan.target,
      configFile: context.plan.configFile,
      workspace: context.workspace,
    });
    context.scratch.deployStartedAt = context.io.clock.now();
    data.deploy = await deployTo(context, environment, provider);
    const steps = [data.deploy];
    let reason: string;
    if (data.deploy.status === 'passed') {
      context.inFlight.phase?.('health-checking');
      const health = await pollEnvironment(context, environment, 'health');
      data.checks = checksData(health);
      const gate: GateRecord = { name: 'production:healthy', passed: health.ok, detail: health.ok ? `${health.checks.length} health checks passed` : firstFailure(health) };
      if (health.ok) {
        const notes = `${snapshot.version ?? 'nothing'} → ${context.plan.version}; ${health.checks.length ? `healthy in ${Math.round(health.elapsedMs / 100) / 10}s` : 'no health checks configured'}`;
        return { status: 'passed', notes, gates: [gate], steps, data, snapshotId: snapshot.snapshotId };
      }
      data.debug = debugOf(health.checks);
      reason = `production health checks failed: ${gate.detail}`;
    } else {
      data.debug = [{ subject: 'environments.production.deploy', detail: data.deploy.detail, output: data.deploy.output }];
      reason = `production deploy failed: ${data.deploy.detail}`;
    }

    // Automatic rollback to the snapshot, then health again.
    data.rollback = await rollBack(context, environment, snapshot);
    return {
      ...afterProductionRollback(context, reason, data.rollback),
      gates: [{ name: 'production:healthy', passed: false, detail: reason }],
      steps,
      data,
      snapshotId: snapshot.snapshotId,
    };
  },
};
