// How a finished command reads in a report, the same everywhere: "exit 1", "timed out after 5s (process group
// killed)", "killed by SIGTERM", "could not start: …".
import { formatDuration } from '../config/units.js';
import type { CommandResult } from './types.js';

export function commandSucceeded(result: CommandResult): boolean {
  return result.exitCode === 0 && !result.timedOut && result.spawnError === undefined;
}

export function describeExit(result: CommandResult, timeoutMs?: number): string {
  if (result.spawnError !== undefined) return `could not start: ${result.spawnError}`;
  if (result.timedOut) return `timed out after ${formatDuration(timeoutMs ?? result.durationMs)} (process group killed)`;
  if (result.exitCode === null) return `killed by ${result.signal ?? 'a signal'}`;
  return `exit ${result.exitCode}`;
}
