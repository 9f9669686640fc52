// `run:` check: a command that exits 0 when the environment is healthy.
import { commandSucceeded, describeExit } from '../exec/describe-exit.js';
import type { RunCheckConfig } from '../config/types.js';
import { placeholderEnv, toShellCommand } from '../exec/placeholders.js';
import type { Check } from './types.js';

/** A check's output goes into every report; its last lines are what explains a failure. */
const OUTPUT_TAIL_LINES = 40;
const OUTPUT_TAIL_CHARS = 4096;

export const runCheck: Check<RunCheckConfig> = async (config, context) => {
  const result = await context.runner({
    command: toShellCommand(config.command),
    cwd: context.workspace,
    env: { ...placeholderEnv(context.placeholders), ...context.env },
    timeoutMs: config.timeoutMs,
    label: context.label,
  });
  const latencyMs = Math.round(result.durationMs);
  const output = outputTail(result.output);
  const got = describeExit(result, config.timeoutMs);
  if (commandSucceeded(result)) return { ok: true, answered: true, detail: `exit 0 in ${latencyMs}ms`, latencyMs, output };
  // A command that exited, whatever its code, is an answer: its failures count toward the failure threshold. One that
  // hung until its timeout or could not start told nothing about the environment.
  const answered = !result.timedOut && result.spawnError === undefined;
  return { ok: false, answered, detail: got, expected: 'exit 0', got, latencyMs, output };
};

function outputTail(output: string): string {
  const lines = output.split('\n');
  const tail = lines.slice(-OUTPUT_TAIL_LINES).join('\n');
  return tail.length > OUTPUT_TAIL_CHARS ? `…${tail.slice(-OUTPUT_TAIL_CHARS)}` : tail;
}
