// The words every report uses for stages, statuses and results, defined once so the job summary, the JSON report
// and the terminal never disagree (the Deployment Summary's stage names are the seed's).
import { STAGE_IDS } from '../engine/model.js';
import type { Result, StageId, StageStatus, StepStatus } from '../engine/model.js';
import type { CheckRecord, PollEnd } from '../checks/types.js';

/** Names in the Deployment Summary table. */
export const STAGE_NAMES: Record<StageId, string> = {
  validate: 'Validation',
  build: 'Build',
  staging: 'Staging',
  production: 'Production',
  verify: 'Verification',
  finalize: 'Finalize',
};

/** Section titles (the seed's stage banners, in title case). */
export const STAGE_TITLES: Record<StageId, string> = {
  validate: 'Pre-Deployment Validation',
  build: 'Build & Package',
  staging: 'Staging Deployment',
  production: 'Production Deployment',
  verify: 'Post-Deployment Verification',
  finalize: 'Finalize',
};

export const STAGE_STATUS_LABELS: Record<StageStatus, string> = {
  passed: 'passed',
  failed: 'failed',
  'rolled-back': 'rolled back',
  warning: 'warning',
  skipped: 'skipped',
  'not-run': 'not run',
};

/** A stage the engine started but has not finished yet (a deployment rendered before its run ended). */
export const RUNNING_LABEL = 'running';
/** A stage not started yet while the run goes on. */
export const PENDING_LABEL = 'pending';

export const RESULT_LABELS: Record<Result, string> = {
  success: 'SUCCESS',
  'rolled-back': 'ROLLED BACK',
  failed: 'FAILED',
};
export const IN_PROGRESS_LABEL = 'IN PROGRESS';

export type Mark = '✓' | '✗' | '–' | '⚠' | '○';

/** Checklist mark of a step, check or prerequisite: ✓ passed, ✗ failed, – skipped, ⚠ warning, ○ not run. */
export function markOf(status: StepStatus | CheckRecord['status']): Mark {
  switch (status) {
    case 'passed':
      return '✓';
    case 'failed':
      return '✗';
    case 'skipped':
      return '–';
    case 'warning':
      return '⚠';
    case 'not-run':
      return '○';
  }
}

export const STEP_STATUS_LABELS: Record<StepStatus | CheckRecord['status'], string> = {
  passed: 'pass',
  failed: 'fail',
  skipped: 'skipped',
  warning: 'warning',
  'not-run': 'not run',
};

/** Why a smoke or health poll that did not pass stopped, after its FAIL word. */
const POLL_END_LABELS: Record<Exclude<PollEnd, 'passed'>, string> = {
  'failure-threshold': 'failure-threshold reached',
  timeout: 'timed out',
  'never-answered': 'never answered',
  cancelled: 'cancelled',
};

/** " (failure-threshold reached)" for a poll that failed; nothing for one that passed or a record that does not say. */
export function pollEndNote(ended: PollEnd): string {
  return ended === 'passed' ? '' : ` (${POLL_END_LABELS[ended]})`;
}

/** 1-based position of a stage in the pipeline, for "STAGE 3". */
export function stageNumber(id: StageId): number {
  return STAGE_IDS.indexOf(id) + 1;
}

/** Status icons for markdown (GitHub renders emoji; the terminal uses marks instead). */
export const STATUS_EMOJI: Record<StageStatus | 'running' | 'pending', string> = {
  passed: '✅',
  failed: '❌',
  'rolled-back': '↩️',
  warning: '⚠️',
  skipped: '⏭️',
  'not-run': '⏹️',
  running: '⏳',
  pending: '🕒',
};

export const RESULT_EMOJI: Record<Result | 'in-progress', string> = {
  success: '✅',
  'rolled-back': '↩️',
  failed: '❌',
  'in-progress': '⏳',
};

/** Opening words of the first line of every report when a rollback failed. */
export const MANUAL_ROLLBACK_PREFIX = 'ROLLBACK FAILED — roll back by hand:';

/** Terminal marks of a stage row (single-width, no emoji). */
export const STAGE_MARKS: Record<StageStatus | 'running' | 'pending', string> = {
  passed: '✓',
  failed: '✗',
  'rolled-back': '↩',
  warning: '⚠',
  skipped: '–',
  'not-run': '○',
  running: '…',
  pending: '·',
};
