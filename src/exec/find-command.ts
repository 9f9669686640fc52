// The `commands` prerequisite: is an executable on PATH, and is its version in range? Looked up without a shell,
// and the version asked for with an argv (never a command line), so a config value is never shell code.
import { execFile } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';

export interface FoundCommand {
  ok: boolean;
  /** Absolute path of the executable, when found. */
  path?: string;
  /** Version read from its output, when a range was asked for and one was found. */
  version?: string;
  /** One line: "/usr/bin/git 2.43.0 satisfies >=2", "not found on PATH", … */
  detail: string;
}

const VERSION_TIMEOUT_MS = 5000;
/** Tried in order until one prints a version: most tools, then kubectl/go-style subcommands. */
const VERSION_ARGS = [['--version'], ['version', '--client'], ['version']];

export async function findCommand(name: string, range: string | undefined, env: NodeJS.ProcessEnv): Promise<FoundCommand> {
  if (range !== undefined && semver.validRange(range) === null) {
    return { ok: false, detail: `invalid version range "${range}"` };
  }
  const found = await lookUp(name, env);
  if (found === undefined) return { ok: false, detail: `${name} not found on PATH` };
  if (range === undefined) return { ok: true, path: found, detail: `found at ${found}` };

  const version = await readVersion(found, env);
  if (version === undefined) {
    return { ok: false, path: found, detail: `${found}: could not read a version to compare with ${range}` };
  }
  return semver.satisfies(version, range)
    ? { ok: true, path: found, version, detail: `${found} ${version} satisfies ${range}` }
    : { ok: false, path: found, version, detail: `${found} ${version} does not satisfy ${range}` };
}

async function lookUp(name: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (name.includes('/')) return (await isExecutableFile(name)) ? path.resolve(name) : undefined;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.resolve(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutableFile(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

async function readVersion(file: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const args of VERSION_ARGS) {
    const output = await runForOutput(file, args, env);
    // Require major.minor, so an error message like "unknown flag at line 3" is not read as version 3.0.0.
    const match = /\d+\.\d+(?:\.\d+)?/.exec(output);
    const version = match === null ? undefined : semver.coerce(match[0])?.version;
    if (version !== undefined) return version;
  }
  return undefined;
}

// Some tools print their version to stderr, or exit non-zero after printing it: read both, whatever the exit.
function runForOutput(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      { env, timeout: VERSION_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 },
      (_error, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
    );
    // A tool that reads stdin must see end-of-file, not wait for the timeout.
    child.stdin?.end();
  });
}
