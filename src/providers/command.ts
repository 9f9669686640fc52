// The `command` provider: the user's own deploy / rollback / snapshot commands (environments.<name>.*), run through
// the process runner with placeholders rewritten to variable references. A failing command is an outcome, not a throw.
import { formatDuration } from '../config/units.js';
import { commandSucceeded, describeExit } from '../exec/describe-exit.js';
import type { EnvironmentConfig } from '../config/types.js';
import { placeholderEnv, toShellCommand } from '../exec/placeholders.js';
import type { Provider, ProviderContext, ProviderOutcome, SnapshotOutcome } from './types.js';

type CommandKey = 'deploy' | 'rollback' | 'snapshot';

export const commandProvider: Provider = {
  kind: 'command',

  describe(environment) {
    return `command: ${environment.deploy ?? '(no deploy command)'}`;
  },

  async snapshot(context) {
    const { environment } = context;
    if (environment.snapshot === undefined) return lastRecordedSnapshot(context);
    // Only stdout carries the id; stderr chatter of the script must not become the snapshot id.
    let lastLine: string | undefined;
    const outcome = await runEnvironmentCommand(context, 'snapshot', {}, (line, stream) => {
      if (stream === 'stdout' && line.trim() !== '') lastLine = line.trim();
    });
    if (!outcome.ok) return outcome;
    if (lastLine === undefined) {
      const detail = `${at(environment, 'snapshot')}: printed no id; nothing deployed yet, nothing to roll back to`;
      return { ...outcome, detail };
    }
    const detail = `snapshot ${lastLine} (from ${environment.snapshot})`;
    return { ...outcome, snapshotId: lastLine, version: lastLine, detail };
  },

  deploy(context) {
    return runEnvironmentCommand(context, 'deploy', {});
  },

  rollback(context, snapshotId) {
    return runEnvironmentCommand(context, 'rollback', { META_DEPLOY_SNAPSHOT_ID: snapshotId });
  },

};

function lastRecordedSnapshot(context: ProviderContext): SnapshotOutcome {
  const version = context.lastRecordedVersion;
  if (version === undefined) {
    return {
      ok: true,
      durationMs: 0,
      detail: 'no snapshot command and no recorded deployment: first deployment, nothing to roll back to',
    };
  }
  const detail = `last recorded version ${version} (no snapshot command)`;
  return { ok: true, durationMs: 0, snapshotId: version, version, detail };
}

async function runEnvironmentCommand(
  context: ProviderContext,
  key: CommandKey,
  extraEnv: Record<string, string>,
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void,
): Promise<ProviderOutcome> {
  const { environment } = context;
  const command = environment[key];
  if (command === undefined) {
    return { ok: false, durationMs: 0, detail: `${at(environment, key)} is not configured` };
  }
  const result = await context.runner(
    {
      command: toShellCommand(command),
      cwd: context.workspace,
      // The rewritten command references META_DEPLOY_* variables; they must exist even if context.env omits one.
      env: {
        ...placeholderEnv(context.placeholders),
        ...context.env,
        META_DEPLOY_ARTIFACTS_DIR: context.artifactsDir,
        ...extraEnv,
      },
      timeoutMs: environment.commandTimeoutMs,
      label: `${context.label}/${key}`,
    },
    onLine ? { onLine } : {},
  );
  const ok = commandSucceeded(result);
  const detail = ok
    ? `${command} succeeded in ${formatDuration(result.durationMs)}`
    : `${at(environment, key)}: ${command} ${describeExit(result, environment.commandTimeoutMs)}`;
  return { ok, detail, durationMs: result.durationMs, output: result.output };
}

function at(environment: EnvironmentConfig, key: CommandKey): string {
  return `${environment.at}.${key}`;
}
