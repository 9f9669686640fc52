// The Actions runner's file contract, reproduced: INPUT_* variables, GITHUB_OUTPUT / GITHUB_STATE files written in the
// `name<<delimiter` format, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH. Used to run dist/ exactly as the runner does.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/** Parses the runner's key-value file format (both `k=v` lines and `k<<DELIM` blocks). */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const body: string[] = [];
      while (++index < lines.length && lines[index] !== delimiter) body.push(lines[index]!);
      values[name!] = body.join('\n');
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return values;
}

export interface RunnerFiles {
  dir: string;
  env: Record<string, string>;
  outputs(): Promise<Record<string, string>>;
  state(): Promise<Record<string, string>>;
  summary(): Promise<string>;
}

export async function runnerFiles(workspace: string, inputs: Record<string, string>, event: object = {}): Promise<RunnerFiles> {
  const dir = await mkdtemp(join(tmpdir(), 'runner-'));
  const files = { output: join(dir, 'output'), state: join(dir, 'state'), summary: join(dir, 'summary.md'), event: join(dir, 'event.json') };
  await Promise.all([writeFile(files.output, ''), writeFile(files.state, ''), writeFile(files.summary, ''), writeFile(files.event, JSON.stringify(event))]);
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REPOSITORY: 'acme/shop',
    RUNNER_TEMP: dir,
  };
  // The runner upper-cases names and keeps dashes: `dry-run` → INPUT_DRY-RUN.
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  return {
    dir,
    env,
    outputs: async () => parseCommandFile(await readFile(files.output, 'utf8')),
    state: async () => parseCommandFile(await readFile(files.state, 'utf8')),
    summary: () => readFile(files.summary, 'utf8'),
  };
}

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node <script>` (the bundled entry) with a clean env plus `env`, the way the runner starts actions. */
export function runNode(script: string, env: Record<string, string>, options: { cwd?: string; args?: string[]; onStart?: (pid: number) => void } = {}): Promise<ProcessResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, script), ...(options.args ?? [])], {
      cwd: options.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    options.onStart?.(child.pid!);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
