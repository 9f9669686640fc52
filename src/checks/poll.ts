// Smoke and health gates: run every check in rounds until one round passes entirely or the time is up. The
// records keep the last outcome of each check (with expected/got), which is what a failure report shows.
import type { CheckConfig } from '../config/types.js';
import type { Clock } from '../exec/types.js';
import { performCheck } from './registry.js';
import type { CheckContext, CheckOutcome, CheckRecord, PollDeps, PollResult } from './types.js';

/**
 * A round needs this much time left to start: a timer waking a few ms before the deadline must not replace the
 * last real outcome with a meaningless "timed out after 2ms".
 */
const MIN_ROUND_MS = 50;

export interface PollLimits {
  timeoutMs: number;
  intervalMs: number;
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
  if (checks.length === 0) return { ok: true, elapsedMs: 0, timeoutMs: limits.timeoutMs, attempts: 0, checks: [] };
  const { clock } = deps;
  const start = clock.now();
  const deadline = start + limits.timeoutMs;
  const records = checks.map((check) => notRunRecord(check));
  const result = (ok: boolean, attempts: number): PollResult => ({
    ok,
    elapsedMs: clock.now() - start,
    timeoutMs: limits.timeoutMs,
    attempts,
    checks: records.map((record) => ({ ...record })),
  });

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

    if (outcomes.every((outcome) => outcome.ok)) return result(true, round);
    const left = deadline - clock.now();
    if (left <= 0 || deps.signal?.aborted) return result(false, round);
    await clock.sleep(Math.min(limits.intervalMs, left), deps.signal);
    if (deadline - clock.now() < MIN_ROUND_MS || deps.signal?.aborted) return result(false, round);
  }
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
    return { ok: false, detail: `internal error in ${check.kind} check: ${(error as Error).message}`, latencyMs: 0 };
  }
}

function notRunRecord(check: CheckConfig): CheckRecord {
  return { name: check.name, kind: check.kind, at: check.at, status: 'not-run', attempts: 0, detail: 'not run' };
}

function recordOutcome(record: CheckRecord, outcome: CheckOutcome, sinceStartMs: number): CheckRecord {
  const next: CheckRecord = {
    name: record.name,
    kind: record.kind,
    at: record.at,
    status: outcome.ok ? 'passed' : 'failed',
    attempts: record.attempts + 1,
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
