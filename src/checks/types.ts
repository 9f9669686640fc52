// A check answers one question about a running environment ("is /healthz 200?"). It returns an outcome,
// never throws for an unhealthy target: an unhealthy target is data, not a bug.
import type { CheckConfig } from '../config/types.js';
import type { Clock, HttpClient, ProcessRunner, TcpConnector } from '../exec/types.js';
import type { Placeholders } from '../exec/placeholders.js';

export interface CheckOutcome {
  ok: boolean;
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

/** Result of polling a set of checks until all pass or the time runs out. */
export interface PollResult {
  ok: boolean;
  elapsedMs: number;
  timeoutMs: number;
  attempts: number;
  checks: CheckRecord[];
}

export interface CheckRecord {
  name: string;
  kind: CheckConfig['kind'];
  /** Config path of the check, e.g. environments.production.health.checks[0]. */
  at: string;
  status: 'passed' | 'failed' | 'not-run';
  attempts: number;
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
