// Runs git with an argument vector (never a shell), for version computation, tags and changelogs. git runs in its
// own process group, killed whole at the timeout: a `git push` leaves helpers (ssh, git-remote-https) that would
// otherwise hold its output open. It never prompts for credentials.
import { spawn } from 'node:child_process';

export interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

const MAX_OUTPUT = 16 * 1024 * 1024;

export function git(args: string[], cwd: string, timeoutMs = 30_000): Promise<GitResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let settled = false;
    const finish = (result: GitResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const child = spawn('git', args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      killGroup();
      finish({ ok: false, stdout, stderr: `git ${args[0]} timed out after ${Math.round(timeoutMs / 1000)}s` });
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk;
    });
    child.on('error', (error) => finish({ ok: false, stdout, stderr: error.message }));
    child.on('close', (code) => {
      killGroup();
      finish({ ok: code === 0, stdout, stderr });
    });
    child.on('exit', (code) => {
      // A helper git left behind may hold the pipes open: give the output a moment, then end the group.
      setTimeout(() => {
        killGroup();
        finish({ ok: code === 0, stdout, stderr });
      }, 200).unref();
    });
  });
}

export async function isGitRepository(cwd: string): Promise<boolean> {
  return (await git(['rev-parse', '--is-inside-work-tree'], cwd)).stdout.trim() === 'true';
}
