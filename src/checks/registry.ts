// Every check kind, by its config word. A new kind is one file plus one line here.
import type { CheckConfig } from '../config/types.js';
import { httpCheck } from './http.js';
import { runCheck } from './run.js';
import { tcpCheck } from './tcp.js';
import type { Check, CheckContext, CheckOutcome } from './types.js';

export type CheckKind = CheckConfig['kind'];

const CHECKS: { [K in CheckKind]: Check<Extract<CheckConfig, { kind: K }>> } = {
  http: httpCheck,
  tcp: tcpCheck,
  run: runCheck,
};

/** The check for a kind, typed for any config: it is only ever called with a config of that kind. */
export function checkFor(kind: CheckKind): Check {
  return CHECKS[kind] as Check;
}

/** Runs one check of any kind. */
export function performCheck(config: CheckConfig, context: CheckContext): Promise<CheckOutcome> {
  return checkFor(config.kind)(config, context);
}
