// Small pieces every stage uses: timing a step into a StepRecord, and running a user command with the security rule
// applied (placeholders become variable references); the run's runner streams its output to the log.
import type { EnvironmentName } from '../config/types.js';
import { toShellCommand } from '../exec/placeholders.js';
import type { CommandResult } from '../exec/types.js';
import type { StepRecord, StepStatus } from './model.js';
import type { StageContext } from './stage.js';

export interface StepTimer {
  startedAt: string;
  finish(name: string, status: StepStatus, detail: string, output?: string): StepRecord;
  elapsedMs(): number;
}

export function startStep(context: Pick<StageContext, 'io'>): StepTimer {
  const start = context.io.clock.now();
  const startedAt = new Date().toISOString();
  return {
    startedAt,
    elapsedMs: () => context.io.clock.now() - start,
    finish: (name, status, detail, output) => ({
      name,
      status,
      startedAt,
      durationMs: context.io.clock.now() - start,
      detail,
      ...(output ? { output } : {}),
    }),
  };
}

export interface UserCommand {
  label: string;
  command: string;
  environment?: EnvironmentName;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Called once the command is running (and recorded for recovery). */
  onStarted?: () => void;
}

export function runUserCommand(context: StageContext, command: UserCommand): Promise<CommandResult> {
  return context.io.runner(
    {
      command: toShellCommand(command.command),
      cwd: context.workspace,
      env: { ...context.commandEnv(command.environment), ...command.env },
      timeoutMs: command.timeoutMs,
      label: command.label,
    },
    { signal: context.signal, ...(command.onStarted ? { onStarted: command.onStarted } : {}) },
  );
}

