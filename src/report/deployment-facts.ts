// Deployment-level facts every report states the same way: the result, the Deployment Summary rows, which version
// runs now, whether a rollback is available, and the debug details of a failure. Wording is honest by
// construction: "current" is what production runs after this run, not what was attempted.
import { STAGE_IDS } from '../engine/model.js';
import type { DebugRecord, Deployment, StageId, StageRecord, StageStatus } from '../engine/model.js';
import { formatDuration } from '../config/units.js';
import { IN_PROGRESS_LABEL, PENDING_LABEL, RESULT_LABELS, RUNNING_LABEL, STAGE_NAMES, STAGE_STATUS_LABELS } from './labels.js';
import { visitStageData } from './stage-data.js';

export type RowStatus = StageStatus | 'running' | 'pending';

export interface StageSummaryRow {
  id: StageId;
  /** "Validation", "Build", … */
  name: string;
  status: RowStatus;
  /** "passed", "rolled back", "not run", "running", "pending" */
  statusLabel: string;
  /** "3.4s", or "—" when the stage did not finish. */
  duration: string;
  notes: string;
}

/** "SUCCESS", "ROLLED BACK", "FAILED", or "IN PROGRESS" while the run goes on. */
export function resultLabel(d: Deployment): string {
  return d.result ? RESULT_LABELS[d.result] : IN_PROGRESS_LABEL;
}

/** Started and not finished (a deployment rendered before its run ended); a stage that never ran has no start time. */
function isRunning(record: StageRecord): boolean {
  return record.status === 'not-run' && record.startedAt !== undefined;
}

/** Not started yet in a run that is still going (no result), so "not run" would be premature. */
function isPending(record: StageRecord, d: Deployment): boolean {
  return d.result === undefined && record.status === 'not-run' && record.startedAt === undefined;
}

function rowStatusOf(record: StageRecord, d: Deployment): RowStatus {
  if (isRunning(record)) return 'running';
  return isPending(record, d) ? 'pending' : record.status;
}

/** The Deployment Summary table, one row per stage in pipeline order. */
export function summarizeStages(d: Deployment): StageSummaryRow[] {
  return STAGE_IDS.map((id) => {
    const record: StageRecord = d.stages[id];
    const status = rowStatusOf(record, d);
    return {
      id,
      name: STAGE_NAMES[id],
      status,
      statusLabel: status === 'running' ? RUNNING_LABEL : status === 'pending' ? PENDING_LABEL : STAGE_STATUS_LABELS[status],
      duration: record.durationMs === undefined ? '—' : formatDuration(record.durationMs),
      notes: record.notes,
    };
  });
}

export function snapshotIdOf(d: Deployment): string | undefined {
  return d.snapshotId ?? d.stages.production.data?.snapshot?.id;
}

function wasNotRun(status: StageStatus): boolean {
  return status === 'not-run' || status === 'skipped';
}

export interface Versions {
  previous: string;
  /** What production runs after this run, with the reason when that is not the new version. */
  current: string;
}

export function describeVersions(d: Deployment): Versions {
  const previous = d.previousVersion ?? 'none recorded';
  const production = d.stages.production;
  const unchanged = d.previousVersion ?? 'unchanged';
  let current: string;
  if (d.manualRollback !== undefined && d.manualRollbackEnvironment === 'staging') {
    // Staging's rollback failed: production was never touched.
    current = `${unchanged} — ${d.version} was not deployed to production (staging's rollback failed: staging may still run ${d.version})`;
  } else if (d.manualRollback !== undefined) {
    current = `unknown — the rollback failed; ${d.version} may still be running`;
  } else if (!d.environments.includes('production')) {
    current =
      d.stages.staging.status === 'passed'
        ? `${d.version} on staging (production not selected)`
        : `${unchanged} — ${d.version} was not deployed`;
  } else if (d.result === undefined) {
    current =
      production.status === 'passed'
        ? `${d.version} (verification in progress)`
        : `${unchanged} — deployment of ${d.version} in progress`;
  } else if (d.result === 'success') {
    current = d.version;
  } else if (d.result === 'rolled-back') {
    const restored = d.previousVersion ?? `snapshot ${snapshotIdOf(d) ?? 'unknown'}`;
    current = `${restored} — ${d.version} was rolled back`;
  } else if (wasNotRun(production.status) || production.data?.deploy === undefined) {
    current = `${unchanged} — ${d.version} was not deployed to production`;
  } else {
    const why = production.data.rollback?.detail ?? production.notes;
    current = `${d.version} — deployed to production and not rolled back (${why})`;
  }
  return { previous, current };
}

export interface RollbackAvailability {
  answer: 'Yes' | 'No' | 'Used' | 'By hand';
  snapshotId?: string;
  reason?: string;
}

export function describeRollbackAvailability(d: Deployment): RollbackAvailability {
  const snapshotId = snapshotIdOf(d);
  const production = d.stages.production;
  if (d.manualRollback !== undefined) {
    const where = d.manualRollbackEnvironment === 'staging' ? "staging's" : 'the';
    return { answer: 'By hand', snapshotId, reason: `${where} automatic rollback failed` };
  }
  if (d.result === 'rolled-back') {
    return { answer: 'Used', snapshotId, reason: 'production was rolled back' };
  }
  if (snapshotId !== undefined) return { answer: 'Yes', snapshotId };
  if (production.data?.snapshot) {
    return { answer: 'No', reason: 'first deployment to production: there is no earlier release to return to' };
  }
  if (wasNotRun(production.status)) {
    const reason = d.result === undefined ? 'production has not been deployed yet' : 'nothing was deployed to production';
    return { answer: 'No', reason };
  }
  return { answer: 'No', reason: 'no snapshot was recorded' };
}

/** "Yes — snapshot web-1.2.2", "No — nothing was deployed to production"; `quote` formats the snapshot id. */
export function formatRollbackAvailability(a: RollbackAvailability, quote: (id: string) => string): string {
  const id = a.snapshotId === undefined ? undefined : `snapshot ${quote(a.snapshotId)}`;
  switch (a.answer) {
    case 'Yes':
      return `Yes — ${id}`;
    case 'Used':
      return `Used — ${a.reason}${id ? ` to ${id}` : ''}`;
    case 'By hand':
      return `By hand only — ${a.reason}${id ? `; restore ${id} with the command above` : ''}`;
    case 'No':
      return `No — ${a.reason}`;
  }
}

export interface DebugItem extends DebugRecord {
  stage: StageId;
}

function failedOnly<T extends { status: string; detail: string; output?: string }>(items: readonly T[]): T[] {
  return items.filter((item) => item.status === 'failed');
}

/** What a human needs to debug the failure: the stages' debug records, or their failed steps' output. */
export function collectDebug(d: Deployment): DebugItem[] {
  return STAGE_IDS.flatMap((stage) => {
    const record: StageRecord = d.stages[stage];
    const items =
      visitStageData<DebugRecord[]>(record, {
        validate: (data) => [
          ...failedOnly(data.tests).map((t) => ({ subject: `Tests › ${t.name}`, detail: t.detail, output: t.output })),
          ...data.review.categories.flatMap((c) =>
            failedOnly(c.checks).map((check) => ({
              subject: `Review › ${c.category} › ${check.name}`,
              detail: check.detail,
              output: check.output,
            })),
          ),
          ...failedOnly(data.prerequisites).map((p) => ({ subject: `Prerequisites › ${p.kind} › ${p.subject}`, detail: p.detail })),
        ],
        build: (data) =>
          failedOnly([...record.steps, ...data.integrity]).map((s) => ({ subject: `Build › ${s.name}`, detail: s.detail, output: s.output })),
        staging: (data) => data.debug ?? [],
        production: (data) => data.debug ?? [],
        verify: (data) => data.debug ?? [],
        finalize: () => [],
      }) ?? failedOnly(record.steps).map((s) => ({ subject: s.name, detail: s.detail, output: s.output }));
    return items.map((item) => ({ stage, ...item }));
  });
}
