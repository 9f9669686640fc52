// The placeholders a metric has beyond the run's own: the verify interval, and for commands the bounds of the
// windows, so a query can ask its backend for exactly the before and after windows. In PromQL `${interval}` is a
// PromQL duration ("30s"); in commands every one of them is whole seconds (epoch seconds for the bounds).
import type { ExtraVariables } from '../exec/placeholders.js';
import type { VerifyTimes } from './source.js';

/** In `prometheus:` queries. */
export const QUERY_PLACEHOLDERS = ['interval'] as const;

/** In `command:` metrics: each placeholder and the variable the command reads it from. */
export const COMMAND_WINDOW_VARIABLES = {
  baseline_from: 'META_DEPLOY_BASELINE_FROM',
  deploy_started_at: 'META_DEPLOY_DEPLOY_STARTED_AT',
  deployed_at: 'META_DEPLOY_DEPLOYED_AT',
  now: 'META_DEPLOY_NOW',
  interval: 'META_DEPLOY_INTERVAL',
} as const satisfies ExtraVariables;

export const COMMAND_WINDOW_PLACEHOLDERS = Object.keys(COMMAND_WINDOW_VARIABLES) as (keyof typeof COMMAND_WINDOW_VARIABLES)[];

/** A duration as PromQL writes it: "30s", or "1500ms" when not whole seconds. */
function promqlDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}

/** Replaces `${interval}` in a PromQL query; the run's placeholders are expanded separately. */
export function expandQueryPlaceholders(query: string, intervalMs: number): string {
  return query.replaceAll('${interval}', promqlDuration(intervalMs));
}

/** The values of the window variables for one look. */
export function windowEnv(times: VerifyTimes, intervalMs: number): Record<string, string> {
  const seconds = (ms: number): string => String(Math.floor(ms / 1000));
  return {
    [COMMAND_WINDOW_VARIABLES.baseline_from]: seconds(times.baselineFrom),
    [COMMAND_WINDOW_VARIABLES.deploy_started_at]: seconds(times.deployStartedAt),
    [COMMAND_WINDOW_VARIABLES.deployed_at]: seconds(times.deployedAt),
    [COMMAND_WINDOW_VARIABLES.now]: seconds(times.now),
    [COMMAND_WINDOW_VARIABLES.interval]: String(Math.max(1, Math.round(intervalMs / 1000))),
  };
}
