// The one place that runs user commands: `bash -eo pipefail -c` in its own process group, output streamed line
// by line and masked, a capped tail kept, and every way of ending (exit, timeout, abort) taking the whole group
// down with it, so no grandchild outlives its command.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createLineSplitter } from './line-splitter.js';
import type { Masker } from './mask.js';
import { createOutputTail } from './output-tail.js';
import { groupAlive, signalGroup, type GroupTracker } from './process-groups.js';
import type { CommandOptions, CommandResult, CommandSpec, ProcessRunner } from './types.js';

export interface ProcessRunnerOptions {
  /** Applied to every line before it is streamed or kept; long lines are cut where they split no secret. */
  mask: Masker;
  /** Output kept in memory per command (default 64 KiB). */
  maxOutputBytes?: number;
  /** Between SIGTERM and SIGKILL of the group on timeout or abort (default 2 s). */
  killGraceMs?: number;
  /** Told each command's process group as it starts and once it is gone. */
  groups?: GroupTracker;
}

const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
const DEFAULT_KILL_GRACE_MS = 2000;
/** After bash exits, how long its output may still drain before the leftovers of its group are killed. */
const SETTLE_MS = 100;
const GROUP_POLL_MS = 25;

/**
 * A runner whose commands never outlive their result: when it resolves, the command's process group is gone.
 * A command that must leave a daemon behind starts it in a new session (`setsid -f server >log 2>&1`).
 */
export function createProcessRunner(options: ProcessRunnerOptions): ProcessRunner {
  const settings = {
    mask: options.mask,
    maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    groups: options.groups,
  };
  return (spec, commandOptions = {}) => runCommand(spec, commandOptions, settings);
}

async function runCommand(
  spec: CommandSpec,
  options: CommandOptions,
  settings: Omit<Required<ProcessRunnerOptions>, 'groups'> & Pick<ProcessRunnerOptions, 'groups'>,
): Promise<CommandResult> {
  const started = performance.now();
  const notStarted = (reason: string): CommandResult => ({
    exitCode: null,
    signal: null,
    timedOut: false,
    durationMs: performance.now() - started,
    output: '',
    spawnError: settings.mask(reason),
  });
  if (options.signal?.aborted) return notStarted('aborted before it started');
  const cwdProblem = await checkDirectory(spec.cwd);
  if (cwdProblem !== undefined) return notStarted(cwdProblem);
  // A cancel that landed during the check above must not be lost: nothing may start after it.
  if (options.signal?.aborted) return notStarted('aborted before it started');

  let child: ChildProcessByStdio<null, Readable, Readable>;
  try {
    child = spawn('bash', ['-eo', 'pipefail', '-c', spec.command], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
  } catch (error) {
    // Thrown synchronously for arguments bash could never receive, e.g. a NUL byte in the command.
    return notStarted(`cannot start bash: ${(error as Error).message}`);
  }
  if (child.pid !== undefined) settings.groups?.started(child.pid);
  options.onStarted?.();

  return new Promise<CommandResult>((resolve) => {
    const tail = createOutputTail(settings.maxOutputBytes);
    const onLine = (stream: 'stdout' | 'stderr') => (raw: string) => {
      const line = settings.mask(raw);
      tail.push(line);
      options.onLine?.(line, stream);
    };
    const splitters = {
      stdout: createLineSplitter(settings.mask, onLine('stdout')),
      stderr: createLineSplitter(settings.mask, onLine('stderr')),
    };

    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    let openStreams = 2;
    let timedOut = false;
    let terminating = false;
    let graceOver = false;
    let finished = false;
    const timers: NodeJS.Timeout[] = [];

    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid !== undefined) signalGroup(child.pid, signal);
    };
    const alive = (): boolean => child.pid !== undefined && groupAlive(child.pid);
    const terminate = (): void => {
      if (terminating) return;
      terminating = true;
      killGroup('SIGTERM');
      timers.push(
        setTimeout(() => {
          graceOver = true;
          killGroup('SIGKILL');
        }, settings.killGraceMs),
      );
    };
    const onAbort = (): void => terminate();

    const finish = async (): Promise<void> => {
      if (finished) return;
      finished = true;
      // Members of the group that got SIGTERM may still be cleaning up: give them the grace period.
      while (terminating && !graceOver && alive()) await delay(GROUP_POLL_MS);
      killGroup('SIGKILL');
      if (child.pid !== undefined) settings.groups?.ended(child.pid);
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      // A process outside the group (it called setsid) may still hold the pipes; stop reading them.
      child.stdout.destroy();
      child.stderr.destroy();
      splitters.stdout.flush();
      splitters.stderr.flush();
      resolve({
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        timedOut,
        durationMs: performance.now() - started,
        output: tail.text(),
      });
    };

    child.on('error', (error) => {
      // After a successful spawn, errors only come from signalling a process that is gone: nothing to do.
      if (child.pid !== undefined || finished) return;
      finished = true;
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(notStarted(`cannot start bash: ${error.message}`));
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream].on('data', (chunk: Buffer) => splitters[stream].write(chunk));
      child[stream].on('end', () => splitters[stream].flush());
      child[stream].on('close', () => {
        openStreams--;
        if (exit !== undefined && openStreams === 0) void finish();
      });
    }
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      if (openStreams === 0) void finish();
      // A background grandchild may keep the pipes open forever; do not wait for it.
      else timers.push(setTimeout(() => void finish(), SETTLE_MS));
    });

    if (spec.timeoutMs !== undefined && spec.timeoutMs > 0) {
      timers.push(
        setTimeout(() => {
          timedOut = true;
          terminate();
        }, spec.timeoutMs),
      );
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function checkDirectory(dir: string): Promise<string | undefined> {
  try {
    const info = await stat(dir);
    return info.isDirectory() ? undefined : `working directory is not a directory: ${dir}`;
  } catch {
    return `working directory does not exist: ${dir}`;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
