// Short phrases about a stage's results ("tests 3/3 · review 2/2 · prerequisites 5/5"), shared by the stage notes
// (the Deployment Summary table), the terminal's plain lines, its boxes and the markdown sections, so every surface
// counts and words things the same way.
import type { CheckRecord } from '../checks/types.js';
import type {
  PrerequisiteRecord,
  RollbackRecord,
  StageRecord,
  StepStatus,
  TestRunRecord,
  ValidateData,
} from '../engine/model.js';
import { formatDuration, formatSize } from '../config/units.js';
import { describeMetrics } from './metric-lines.js';
import { visitStageData } from './stage-data.js';

interface Tally {
  passed: number;
  total: number;
}

/** Passed / counted, leaving skipped items out of both. */
function tally(statuses: readonly (StepStatus | CheckRecord['status'])[]): Tally {
  const counted = statuses.filter((s) => s !== 'skipped');
  return { passed: counted.filter((s) => s === 'passed' || s === 'warning').length, total: counted.length };
}

export function formatTally({ passed, total }: Tally): string {
  return `${passed}/${total}`;
}

/** "7.4s", "300s": the seed's `Time elapsed: Xs / 300s` unit. */
export function formatSeconds(ms: number): string {
  const tenths = Math.round(ms / 100) / 10;
  return `${Number.isInteger(tenths) ? tenths : tenths.toFixed(1)}s`;
}

/** "10/10", "6.7/10". */
export function formatScore(score: number): string {
  const rounded = Math.round(score * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded : rounded.toFixed(1)}/10`;
}

export function shortSha(sha256: string): string {
  return sha256.slice(0, 12);
}

/** "128 passed, 0 failed, 2 skipped" from JUnit counts; undefined when the run had none. */
export function describeTestCounts(run: TestRunRecord): string | undefined {
  const c = run.counts;
  return c ? `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped` : undefined;
}

/** JUnit test cases of one run: passed over those that ran (skipped ones left out, as everywhere). */
export function tallyTestCases(run: TestRunRecord): Tally | undefined {
  return run.counts ? { passed: run.counts.passed, total: run.counts.tests - run.counts.skipped } : undefined;
}

export function tallyTestRuns(data: ValidateData): Tally {
  return tally(data.tests.map((t) => t.status));
}

export function tallyPrerequisites(items: readonly PrerequisiteRecord[]): Tally {
  return tally(items.map((p) => p.status));
}

export function tallyChecks(checks: readonly CheckRecord[]): Tally {
  return tally(checks.map((c) => c.status));
}

/** Passed review checks over all review checks, scaled to 10 (the per-category rule applied to all of them). */
export function overallReviewScore(data: ValidateData): number | undefined {
  const checks = data.review.categories.flatMap((c) => c.checks);
  const { passed, total } = tally(checks.map((c) => c.status));
  return total === 0 ? undefined : (passed / total) * 10;
}

/** "1/1", "failed: cannot count" (a required count that could not be made fails the gate), or undefined when
 *  approvals are not required. */
export function describeApprovals(data: ValidateData): string | undefined {
  const a = data.review.approvals;
  if (a.required === 0) return undefined;
  return a.approved === undefined ? 'failed: cannot count' : `${a.approved}/${a.required}`;
}

/** The validation counts, in the one wording every surface uses: "tests 41/42 · review 2/2 · prerequisites 7/7".
 *  Tests are JUnit test cases when every run reports them, else test runs ("test runs 1/1"); review counts checks. */
export function describeValidation(data: ValidateData): string {
  const cases = data.tests.map(tallyTestCases);
  const tests =
    cases.length > 0 && cases.every((tally) => tally !== undefined)
      ? `tests ${formatTally(cases.reduce((sum, tally) => ({ passed: sum.passed + tally.passed, total: sum.total + tally.total }), { passed: 0, total: 0 }))}`
      : `test runs ${formatTally(tallyTestRuns(data))}`;
  const reviewChecks = data.review.categories.flatMap((category) => category.checks);
  const approvals = describeApprovals(data);
  return [
    tests,
    reviewChecks.length === 0 ? 'no review checks' : `review ${formatTally(tally(reviewChecks.map((check) => check.status)))}`,
    ...(approvals ? [`approvals ${approvals}`] : []),
    `prerequisites ${formatTally(tallyPrerequisites(data.prerequisites))}`,
  ].join(' · ');
}

/** One line on a rollback: what it restored, how long it took, and whether health came back. */
export function describeRollback(rollback: RollbackRecord): string {
  const target = rollback.snapshotId ? ` to ${rollback.snapshotId}` : '';
  const health = rollback.healthAfter
    ? `; health after: ${rollback.healthAfter.ok ? 'ok' : 'NOT OK'} (${rollback.healthAfter.detail})`
    : '';
  switch (rollback.status) {
    case 'passed':
      return `rolled back${target} in ${formatDuration(rollback.durationMs)} (${rollback.detail})${health}`;
    case 'failed':
      return `rollback${target} FAILED after ${formatDuration(rollback.durationMs)} (${rollback.detail})${health}`;
    case 'skipped':
      return `rollback skipped (${rollback.detail})`;
  }
}

function describePoll(label: string, poll: { elapsedMs: number; timeoutMs: number; checks: CheckRecord[] }): string {
  return `${label} ${formatTally(tallyChecks(poll.checks))} in ${formatSeconds(poll.elapsedMs)} / ${formatSeconds(poll.timeoutMs)}`;
}

function withRollback(parts: string[], rollback: RollbackRecord | undefined): string[] {
  return rollback ? [...parts, describeRollback(rollback)] : parts;
}

/** Key facts of a finished stage in one line; empty when the stage recorded no data. */
export function describeStage(record: StageRecord): string {
  const parts = visitStageData<string[]>(record, {
    validate: (data) => [describeValidation(data)],
    build: (data) => [
      `${data.artifacts.length} artifact${data.artifacts.length === 1 ? '' : 's'}, ${formatSize(data.totalSize)}`,
      ...(data.integrity.length > 0 ? [`integrity ${formatTally(tally(data.integrity.map((s) => s.status)))}`] : []),
    ],
    staging: (data) =>
      withRollback(
        [
          ...(data.deploy ? [`deploy ${data.deploy.status}`] : []),
          ...(data.checks ? [describePoll('smoke', data.checks)] : []),
        ],
        data.rollback,
      ),
    production: (data) =>
      withRollback(
        [
          ...(data.snapshot
            ? [data.snapshot.id ? `snapshot ${data.snapshot.id}` : 'no snapshot (first deployment)']
            : []),
          ...(data.deploy ? [`deploy ${data.deploy.status}`] : []),
          ...(data.checks ? [describePoll('health', data.checks)] : []),
        ],
        data.rollback,
      ),
    verify: (data) => {
      // Every metric the stage judged (a seed metric no source measured is left to the tables).
      const judged = describeMetrics(data.metrics).filter((m) => m.status !== 'not-measured');
      return withRollback(
        [
          ...judged.map((m) => `${m.label.toLowerCase()} ${m.figures} ${m.status}`),
          ...(data.smoke.length > 0 ? [`smoke ${formatTally(tallyChecks(data.smoke))}`] : []),
          data.anomalies.length === 0
            ? 'no anomalies'
            : `${data.anomalies.length} anomal${data.anomalies.length === 1 ? 'y' : 'ies'}`,
          ...data.warnings.map((warning) => `warning: ${warning}`),
        ],
        data.rollback,
      );
    },
    finalize: (data) => [
      ...(data.tag ? [`tag ${data.tag.name} ${data.tag.status}`] : []),
      ...(data.record ? [`record ${data.record.status}`] : []),
      ...(data.changelog ? [`changelog ${data.changelog.status} (${data.changelog.entries} entries)`] : []),
      ...(data.notifications.length > 0
        ? [`notified ${formatTally(tally(data.notifications.map((n) => n.status)))}`]
        : []),
    ],
  });
  return (parts ?? []).join(', ');
}
