// Smoke and health gates: run every check in rounds until every check has passed `successThreshold` rounds in a row,
// a check that has answered fails `failureThreshold` times in a row (like a Kubernetes probe: the rollback need not
// wait for the timeout), or the time is up. A check whose target never answered (connection refused, timeouts) is a
// slow start, not a failure: it is waited for until the timeout. The records keep the last outcome of each check (with
// expected/got), which is what a failure report shows, and the result says why the poll ended.
import type { CheckConfig } from '../config/types.js';
import type { Clock } from '../exec/types.js';
import { performCheck } from './registry.js';
import type { CheckContext, CheckOutcome, CheckRecord, PollDeps, PollEnd, PollResult } from './types.js';

/**
 * A round needs this much time left to start: a timer waking a few ms before the deadline must not replace the
 * last real outcome with a meaningless "timed out after 2ms".
 */
const MIN_ROUND_MS = 50;

export interface PollLimits {
  timeoutMs: number;
  intervalMs: number;
  /** Failures in a row of a check that has answered that end the poll at once; absent: only the timeout does. */
  failureThreshold?: number;
  /** Rounds in a row every check must pass (default 1). */
  successThreshold?: number;
}

export interface PollOptions extends PollDeps {
  /** Aborting stops the poll after the round in progress (not ok). */
  signal?: AbortSignal;
  /** Called after each round with the records as they stand, for progress lines. */
  onRound?: (round: number, records: CheckRecord[]) => void;
}

export async function pollChecks(
  checks: CheckConfig[],
  context: CheckContext,
  limits: PollLimits,
  deps: PollOptions,
): Promise<PollResult> {
  const { clock } = deps;
  const start = clock.now();
  const deadline = start + limits.timeoutMs;
  const successThreshold = limits.successThreshold ?? 1;
  const records = checks.map((check) => notRunRecord(check));
  const result = (ended: PollEnd, attempts: number): PollResult => ({
    ok: ended === 'passed',
    ended,
    elapsedMs: clock.now() - start,
    timeoutMs: limits.timeoutMs,
    attempts,
    ...(limits.failureThreshold === undefined ? {} : { failureThreshold: limits.failureThreshold }),
    successThreshold,
    checks: records.map((record) => ({ ...record })),
  });
  if (checks.length === 0) return { ...result('passed', 0), elapsedMs: 0 };
  // The time ran out: waiting for a target that never answered is a different story from one that answered wrongly.
  const timedOut = (attempts: number): PollResult =>
    result(records.some((record) => record.status === 'failed' && !record.answered) ? 'never-answered' : 'timeout', attempts);

  for (let round = 1; ; round++) {
    // The first round always runs, even if the clock already says the time is up.
    const attemptLimit = Math.max(1, deadline - clock.now());
    const outcomes = await Promise.all(
      checks.map((check) => attempt({ ...check, timeoutMs: Math.min(check.timeoutMs, attemptLimit) }, context)),
    );
    const finishedAt = clock.now();
    outcomes.forEach((outcome, index) => {
      const record = records[index] as CheckRecord;
      records[index] = recordOutcome(record, outcome, finishedAt - start);
    });
    deps.onRound?.(round, records.map((record) => ({ ...record })));

    if (records.every((record) => record.status === 'passed' && record.inARow >= successThreshold)) return result('passed', round);
    if (deps.signal?.aborted) return result('cancelled', round);
    if (records.some((record) => reachedFailureThreshold(record, limits.failureThreshold))) return result('failure-threshold', round);
    const left = deadline - clock.now();
    if (left <= 0) return timedOut(round);
    await clock.sleep(Math.min(limits.intervalMs, left), deps.signal);
    if (deps.signal?.aborted) return result('cancelled', round);
    if (deadline - clock.now() < MIN_ROUND_MS) return timedOut(round);
  }
}

/** The check that ended a poll by failing too often in a row once it had answered. */
export function reachedFailureThreshold(record: CheckRecord, failureThreshold: number | undefined): boolean {
  return failureThreshold !== undefined && record.status === 'failed' && record.answered && record.inARow >= failureThreshold;
}

/** Every check once, in parallel: for one-shot uses such as verify's smoke checks. */
export async function runChecksOnce(checks: CheckConfig[], context: CheckContext, clock?: Clock): Promise<CheckRecord[]> {
  const now = (): number => clock?.now() ?? Date.now();
  const start = now();
  const outcomes = await Promise.all(checks.map((check) => attempt(check, context)));
  const finishedAt = now();
  return checks.map((check, index) =>
    recordOutcome(notRunRecord(check), outcomes[index] as CheckOutcome, finishedAt - start),
  );
}

// A check that throws has a bug; in a health gate that must still read as "not healthy", never as a crash
// that skips the rollback.
async function attempt(check: CheckConfig, context: CheckContext): Promise<CheckOutcome> {
  try {
    return await performCheck(check, context);
  } catch (error) {
    return { ok: false, answered: false, detail: `internal error in ${check.kind} check: ${(error as Error).message}`, latencyMs: 0 };
  }
}

function notRunRecord(check: CheckConfig): CheckRecord {
  return { name: check.name, kind: check.kind, at: check.at, status: 'not-run', attempts: 0, answered: false, inARow: 0, detail: 'not run' };
}

function recordOutcome(record: CheckRecord, outcome: CheckOutcome, sinceStartMs: number): CheckRecord {
  const status = outcome.ok ? 'passed' : 'failed';
  const answered = record.answered || outcome.answered;
  // The first answer starts a new run of failures: the refused connections of a slow start before it do not count.
  const continues = record.status === status && record.answered === answered;
  const next: CheckRecord = {
    name: record.name,
    kind: record.kind,
    at: record.at,
    status,
    attempts: record.attempts + 1,
    answered,
    inARow: continues ? record.inARow + 1 : 1,
    detail: outcome.detail,
    latencyMs: outcome.latencyMs,
  };
  if (outcome.expected !== undefined) next.expected = outcome.expected;
  if (outcome.got !== undefined) next.got = outcome.got;
  if (outcome.output !== undefined) next.output = outcome.output;
  const passedAfterMs = record.passedAfterMs ?? (outcome.ok ? sinceStartMs : undefined);
  if (passedAfterMs !== undefined) next.passedAfterMs = passedAfterMs;
  return next;
}
