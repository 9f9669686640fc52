// A check answers one question about a running environment ("is /healthz 200?"). It returns an outcome,
// never throws for an unhealthy target: an unhealthy target is data, not a bug.
import type { CheckConfig } from '../config/types.js';
import type { Clock, HttpClient, ProcessRunner, TcpConnector } from '../exec/types.js';
import type { Placeholders } from '../exec/placeholders.js';

export interface CheckOutcome {
  ok: boolean;
  /** The target answered: any HTTP status, a TCP connection, a `run` command that exited by itself (whatever its
   *  code). Not: connection refused, DNS and connect errors, timeouts. A poll waits for a target that never answered. */
  answered: boolean;
  /** One line: "HTTP 200 in 12ms" / "HTTP 500 (expected 200)" / "connection refused". */
  detail: string;
  expected?: string;
  got?: string;
  latencyMs: number;
  /** Tail of command output for `run` checks (masked). */
  output?: string;
}

export interface CheckContext {
  workspace: string;
  placeholders: Placeholders;
  env: Record<string, string>;
  runner: ProcessRunner;
  http: HttpClient;
  tcp: TcpConnector;
  label: string;
}

export type Check<C extends CheckConfig = CheckConfig> = (config: C, context: CheckContext) => Promise<CheckOutcome>;

/** Why a poll ended: its checks passed; a check that had answered failed `failure-threshold` times in a row; the time
 *  ran out (`never-answered` when a failing check never answered at all); the run was cancelled. */
export type PollEnd = 'passed' | 'failure-threshold' | 'timeout' | 'never-answered' | 'cancelled';

/** Result of polling a set of checks until they pass, one fails too often in a row, or the time runs out. */
export interface PollResult {
  ok: boolean;
  ended: PollEnd;
  elapsedMs: number;
  timeoutMs: number;
  attempts: number;
  /** Absent: failures never ended the poll before its timeout. */
  failureThreshold?: number;
  successThreshold: number;
  checks: CheckRecord[];
}

export interface CheckRecord {
  name: string;
  kind: CheckConfig['kind'];
  /** Config path of the check, e.g. environments.production.health.checks[0]. */
  at: string;
  status: 'passed' | 'failed' | 'not-run';
  attempts: number;
  /** Whether the target ever answered this check (see CheckOutcome.answered). */
  answered: boolean;
  /** Latest attempts in a row with this status; failures count from the first answer on. */
  inARow: number;
  /** Last outcome seen. */
  detail: string;
  expected?: string;
  got?: string;
  latencyMs?: number;
  output?: string;
  /** ms after the poll started when this check first passed. */
  passedAfterMs?: number;
}

export interface PollDeps {
  clock: Clock;
}
