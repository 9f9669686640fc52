import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMasker } from '../../src/exec/mask.js';
import { MAX_LINE_CHARS } from '../../src/exec/line-splitter.js';
import { createProcessRunner } from '../../src/exec/run-command.js';
import type { CommandSpec } from '../../src/exec/types.js';

let cwd: string;
beforeEach(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'meta-deploy-run-'));
});
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const runner = createProcessRunner({ mask: createMasker([]), killGraceMs: 300 });
const spec = (command: string, extra: Partial<CommandSpec> = {}): CommandSpec => ({
  command,
  cwd,
  env: {},
  label: 'test',
  ...extra,
});

// A killed process whose parent already exited waits as a zombie until init reaps it, and some container
// inits never do: a zombie has stopped running, so it counts as gone.
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** SIGKILL is delivered asynchronously: allow the kernel a moment to finish the process. */
async function isStillRunningAfterAMoment(pid: number): Promise<boolean> {
  for (let i = 0; i < 40 && isRunning(pid); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  return isRunning(pid);
}

async function readPid(): Promise<number> {
  const pid = Number((await readFile(path.join(cwd, 'pidfile'), 'utf8')).trim());
  expect(pid).toBeGreaterThan(0);
  return pid;
}

describe('createProcessRunner', () => {
  it('reports the exit code of the command', async () => {
    expect((await runner(spec('true'))).exitCode).toBe(0);
    const failed = await runner(spec('exit 3'));
    expect(failed).toMatchObject({ exitCode: 3, signal: null, timedOut: false });
    expect(failed.spawnError).toBeUndefined();
  });

  it('stops at the first failing command (bash -e)', async () => {
    const result = await runner(spec('false; echo after'));
    expect(result.exitCode).toBe(1);
    expect(result.output).toBe('');
  });

  it('fails a pipeline whose first command fails (pipefail)', async () => {
    expect((await runner(spec('false | true'))).exitCode).toBe(1);
  });

  it('captures stdout and stderr and streams each line with its stream', async () => {
    const lines: [string, string][] = [];
    const result = await runner(spec('echo one; sleep 0.05; echo two >&2; sleep 0.05; printf three'), {
      onLine: (line, stream) => lines.push([stream, line]),
    });
    expect(lines).toEqual([
      ['stdout', 'one'],
      ['stderr', 'two'],
      ['stdout', 'three'],
    ]);
    expect(result.output).toBe('one\ntwo\nthree');
  });

  it('streams lines while the command is still running', async () => {
    const result = await runner(spec('echo ready; while [ ! -f go ]; do sleep 0.02; done; echo done'), {
      onLine: (line) => {
        if (line === 'ready') writeFileSync(path.join(cwd, 'go'), '');
      },
    });
    expect(result.exitCode).toBe(0);
    expect(result.output).toBe('ready\ndone');
  });

  it('masks secrets in streamed lines and in the kept output', async () => {
    const masked = createProcessRunner({ mask: createMasker(['s3cr3t-value']) });
    const lines: string[] = [];
    const result = await masked(spec('echo "token=$TOKEN"; echo "$TOKEN" >&2', { env: { TOKEN: 's3cr3t-value' } }), {
      onLine: (line) => lines.push(line),
    });
    expect(lines).toEqual(['token=***', '***']);
    expect(result.output).toBe('token=***\n***');
  });

  it('keeps only the last part of a long output and says how much was dropped', async () => {
    const capped = createProcessRunner({ mask: createMasker([]), maxOutputBytes: 1024 });
    const result = await capped(spec('seq 1 20000'));
    expect(result.exitCode).toBe(0);
    expect(result.output).toMatch(/^… \(\d+ bytes earlier output omitted\)\n/);
    expect(result.output.endsWith('\n19999\n20000')).toBe(true);
    expect(Buffer.byteLength(result.output)).toBeLessThan(1100);
  });

  it('runs in the given directory with the given variables added to the inherited environment', async () => {
    const result = await runner(spec('pwd; printf "%s\\n" "$EXTRA"; [ -n "$PATH" ] && echo has-path', { env: { EXTRA: 'x y' } }));
    expect(result.output).toBe(`${await realpath(cwd)}\nx y\nhas-path`);
  });

  it('gives the command no stdin, so a reader does not wait forever', async () => {
    const result = await runner(spec('cat; echo eof'));
    expect(result).toMatchObject({ exitCode: 0, output: 'eof' });
  });

  it('kills the grandchildren of a command that times out', async () => {
    const result = await runner(spec('(sleep 30 & echo $! > pidfile; wait); echo never', { timeoutMs: 300 }));
    expect(result.timedOut).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGTERM');
    expect(result.output).toBe('');
    expect(await isStillRunningAfterAMoment(await readPid())).toBe(false);
  });

  it('kills a command that ignores SIGTERM once the grace period is over', async () => {
    const result = await runner(spec("trap '' TERM; sleep 30 & echo $! > pidfile; wait", { timeoutMs: 200 }));
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    expect(await isStillRunningAfterAMoment(await readPid())).toBe(false);
  });

  it('returns when the command exits even if a background process holds its output, and kills it', async () => {
    const result = await runner(spec('sleep 30 & echo $! > pidfile; echo started'));
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, output: 'started' });
    expect(await isStillRunningAfterAMoment(await readPid())).toBe(false);
  });

  it('leaves no background process behind even when it let go of the output', async () => {
    const result = await runner(spec('sleep 30 >/dev/null 2>&1 & echo $! > pidfile'));
    expect(result.exitCode).toBe(0);
    expect(await isStillRunningAfterAMoment(await readPid())).toBe(false);
  });

  it('kills the whole process group when aborted', async () => {
    const controller = new AbortController();
    const result = await runner(spec('sleep 30 & echo $! > pidfile; echo started; wait'), {
      signal: controller.signal,
      onLine: (line) => {
        if (line === 'started') controller.abort();
      },
    });
    expect(result).toMatchObject({ exitCode: null, timedOut: false, signal: 'SIGTERM' });
    expect(await isStillRunningAfterAMoment(await readPid())).toBe(false);
  });

  it('does not start a command whose signal is already aborted', async () => {
    const result = await runner(spec('touch ran'), { signal: AbortSignal.abort() });
    expect(result.exitCode).toBeNull();
    expect(result.spawnError).toMatch(/aborted/);
    await expect(readFile(path.join(cwd, 'ran'))).rejects.toThrow();
  });

  it('does not start a command cancelled while its working directory is being checked', async () => {
    const controller = new AbortController();
    // The runner awaits the directory check before spawning; the abort lands during that await.
    const pending = runner(spec('touch ran'), { signal: controller.signal });
    controller.abort();
    const result = await pending;
    expect(result.exitCode).toBeNull();
    expect(result.spawnError).toMatch(/aborted before it started/);
    // Had it started, the abort (already delivered) would not stop it: give it the time to have run.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(readFile(path.join(cwd, 'ran'))).rejects.toThrow();
  });

  it('never prints a secret straddling the long-line cut as two unmasked halves, at any offset', async () => {
    const secret = 'tok-9c1e77d2b5f3a8';
    const masked = createProcessRunner({ mask: createMasker([secret]) });
    for (let offset = MAX_LINE_CHARS - secret.length - 1; offset <= MAX_LINE_CHARS + 1; offset++) {
      const pieces: string[] = [];
      // One line of 40 KiB without a newline, the secret starting `offset` characters in, written in small chunks.
      const command = `head -c ${offset} /dev/zero | tr '\\0' x; printf %s "$SECRET"; head -c 24000 /dev/zero | tr '\\0' y`;
      const result = await masked(spec(command, { env: { SECRET: secret } }), { onLine: (line) => pieces.push(line) });
      expect(result.exitCode).toBe(0);
      expect(pieces.length, `offset ${offset}`).toBeGreaterThan(1);
      expect(pieces.every((piece) => piece.length <= MAX_LINE_CHARS)).toBe(true);
      const joined = pieces.join('');
      expect(joined, `offset ${offset}`).toBe(`${'x'.repeat(offset)}***${'y'.repeat(24000)}`);
      expect(result.output.split('\n').join(''), `offset ${offset}`).toBe(joined);
    }
  });

  it('returns a spawn error instead of throwing when the directory is missing', async () => {
    const missing = path.join(cwd, 'missing');
    const result = await runner(spec('true', { cwd: missing }));
    expect(result).toMatchObject({ exitCode: null, signal: null, timedOut: false, output: '' });
    expect(result.spawnError).toBe(`working directory does not exist: ${missing}`);
  });

  it('returns a spawn error instead of throwing for a command bash could never receive', async () => {
    const result = await runner(spec('echo a\0b'));
    expect(result.exitCode).toBeNull();
    expect(result.spawnError).toMatch(/^cannot start bash: /);
  });
});
