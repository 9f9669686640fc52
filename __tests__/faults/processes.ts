// Processes as the fault tests see them: a bundled entry point started with its own pipes (so a test can close them),
// and, read from /proc, the processes still working in a workspace after a run ended (there must be none).
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import type { Readable } from 'node:stream';

async function allPids(): Promise<number[]> {
  return (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
}

/** Processes whose working directory is inside `dir`: every command meta-deploy runs works in the workspace. */
export async function processesIn(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await allPids()) {
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => '');
    if (cwd === dir || cwd.startsWith(`${dir}/`)) {
      const command = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ').trim();
      found.push(`${pid}: ${command}`);
    }
  }
  return found;
}

/** Waits until no process works in `dir` any more (a killed group can take its grace period), then lists the rest. */
export async function leftoversIn(dir: string, graceMs = 3000): Promise<string[]> {
  const deadline = Date.now() + graceMs;
  let left = await processesIn(dir);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    left = await processesIn(dir);
  }
  return left;
}

export interface Started {
  child: ChildProcessByStdio<null, Readable, Readable>;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited and its pipes closed; rejects after `timeoutMs` (a hang). */
  ended(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node <script> …` with its own stdout/stderr pipes (so the test can close them), in its own group. */
export function startNode(script: string, args: string[], options: { cwd: string; env: Record<string, string> }): Started {
  const child = spawn(process.execPath, [script, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // A pipe the test destroyed on purpose may report an error; the run's fate is what is tested.
  child.stdout.on('error', () => undefined);
  child.stderr.on('error', () => undefined);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    pid: child.pid!,
    stdout: () => stdout,
    stderr: () => stderr,
    ended: (timeoutMs) =>
      Promise.race([
        exit,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still running ${timeoutMs} ms after the interruption`)), timeoutMs).unref()),
      ]),
  };
}
