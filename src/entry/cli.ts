// `meta-deploy` — the command line. Parses arguments and hands over; exit 0 success, 1 failed or rolled back, 2 usage.
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import { suggestKey } from '../config/suggest-key.js';
import { createDefaultIo } from '../engine/default-io.js';
import { runJournal } from '../engine/run-journal.js';
import { cliProgram } from '../engine/manual-rollback-command.js';
import { createRecordStore } from '../engine/records.js';
import { secretsOf } from '../engine/secrets.js';
import { rollbackEnvironment } from '../engine/rollback-environment.js';
import { snapshotIdProblem } from '../engine/snapshots.js';
import { parseDuration } from '../config/units.js';
import type { EnvironmentName } from '../config/types.js';
import { createMasker, maskDeep } from '../exec/mask.js';
import { chooseTarget, quoteValue } from '../plan/inputs.js';
import { stateDirOf } from '../plan/plan-deploy.js';
import { loadRequestedConfig, prepareRun } from '../plan/prepare-run.js';
import { renderHistory } from '../report/history.js';
import { renderJsonReport } from '../report/json-report.js';
import { renderPlan, renderPlanJson } from '../report/plan.js';
import { createTerminalObserver } from '../report/terminal.js';
import { maskedStream } from './masked-stream.js';
import { exitCodeOf, githubFeatures, runDeployment } from './run-deployment.js';
import { dropUnwritableOutput } from './unwritable-output.js';

const USAGE = `usage: meta-deploy <command> [options]
       meta-deploy --version     print the version of meta-deploy itself

commands:
  run        run the pipeline        [--config F] [--target T] [--version V] [--environments staging,production] [--dry-run] [--json] [--lock-timeout D]
  plan       print the resolved plan [--config F] [--target T] [--version V] [--environments …] [--json]
  validate   check the config only   [--config F]
  rollback   roll an environment back --environment E [--to SNAPSHOT] [--config F] [--target T] [--lock-timeout D]
  history    list past deployments   [--config F] [--target T] [--json]

After a command, --version V is the version to deploy; alone, --version prints meta-deploy's own version.
The config defaults to .github/meta-deploy.yml; --workspace DIR sets the working directory (default: current).
Exit codes: 0 success, 1 failed or rolled back, 2 bad usage or config.`;

/** This very program, for the manual rollback command in reports. */
const thisCli = cliProgram(process.argv[1] ?? 'meta-deploy');

const OPTIONS = {
  config: { type: 'string' },
  target: { type: 'string' },
  version: { type: 'string' },
  environments: { type: 'string' },
  environment: { type: 'string' },
  to: { type: 'string' },
  workspace: { type: 'string' },
  'lock-timeout': { type: 'string' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usageError(message: string): number {
  process.stderr.write(`meta-deploy: ${message}\n\n${USAGE}\n`);
  return 2;
}

/** The first option that is not one of ours, said with the closest one ("did you mean --target?"). */
function unknownOption(argv: string[]): string | undefined {
  const { tokens } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const unknown = tokens.find((token) => token.kind === 'option' && !Object.hasOwn(OPTIONS, token.name));
  if (unknown?.kind !== 'option') return undefined;
  const written = /^[\w-]+$/.test(unknown.rawName) ? unknown.rawName : quoteValue(unknown.rawName);
  const suggestion = suggestKey(unknown.name, Object.keys(OPTIONS));
  return `unknown option ${written}${suggestion ? `; did you mean --${suggestion}?` : ''}`;
}

async function main(argv: string[]): Promise<number> {
  // `--version` with no command is about meta-deploy itself; after a command it takes the version to deploy.
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`meta-deploy ${packageJson.version}\n`);
    return 0;
  }
  const unknown = unknownOption(argv);
  if (unknown) return usageError(unknown);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  if (positionals.length > 1) return usageError(`unexpected argument ${quoteValue(positionals[1]!)}`);
  const workspace = values.workspace ?? process.cwd();
  // --lock-timeout overrides the config's lock-timeout: how long to wait for another run on the same state dir.
  const lockTimeoutMs = values['lock-timeout'] === undefined ? undefined : parseDuration(values['lock-timeout']);
  if (values['lock-timeout'] !== undefined && lockTimeoutMs === undefined) return usageError(`--lock-timeout ${quoteValue(values['lock-timeout'])} is not a duration (e.g. 90s, 15m)`);
  const request = {
    workspace,
    configFile: values.config,
    target: values.target,
    version: values.version,
    environments: values.environments,
    dryRun: values['dry-run'] ?? command === 'plan',
    ref: process.env.GITHUB_REF,
    sha: process.env.GITHUB_SHA,
  };

  switch (command) {
    case 'validate': {
      const config = await loadRequestedConfig(workspace, values.config);
      if (!config.ok) return configError(config.message);
      process.stdout.write(`${config.value.file}: valid (targets: ${config.value.targetNames.join(', ')})\n`);
      return 0;
    }
    case 'plan':
    case 'run': {
      const prepared = await prepareRun(request);
      if (!prepared.ok) return configError(prepared.message);
      const { plan } = prepared.value;
      if (lockTimeoutMs !== undefined) plan.lockTimeoutMs = lockTimeoutMs;
      if (plan.dryRun) {
        const masked = maskDeep(plan, createMasker(secretsOf(plan.config, process.env)));
        process.stdout.write(values.json ? renderPlanJson(masked) : `${renderPlan(masked)}\n`);
        return 0;
      }
      const tty = Boolean(process.stdout.isTTY) && !values.json;
      const out = values.json ? process.stderr : process.stdout;
      const { deployment, mask } = await runDeployment({
        plan,
        log: out,
        observer: (log) => createTerminalObserver(log, { tty, color: tty && !process.env.NO_COLOR, width: process.stdout.columns }),
        // Journalled in the state dir, so a run killed with SIGKILL is recorded (and production rolled back) by the next run.
        inFlight: runJournal(plan.stateDir),
        env: process.env,
        githubUnavailable: 'not running in GitHub Actions',
        githubFeatures: githubFeatures(plan.config),
        cli: thisCli,
      });
      if (values.json) process.stdout.write(renderJsonReport(maskDeep(deployment, mask)));
      return exitCodeOf(deployment);
    }
    case 'rollback': {
      if (!values.environment) return usageError('rollback needs --environment staging|production');
      const config = await loadRequestedConfig(workspace, values.config);
      if (!config.ok) return configError(config.message);
      const chosen = chooseTarget(values.target, config.value);
      if (!chosen.ok) return usageError(chosen.error);
      const { target } = chosen;
      const targetConfig = config.value.targets[target]!;
      if (values.environment !== 'staging' && values.environment !== 'production') return usageError(`environment ${quoteValue(values.environment)} is not staging or production`);
      const stateDir = stateDirOf(config.value, workspace);
      const badSnapshot = values.to === undefined ? undefined : await snapshotIdProblem(stateDir, target, values.environment, values.to);
      if (badSnapshot) return usageError(badSnapshot);
      const mask = createMasker(secretsOf(targetConfig, process.env));
      const log = maskedStream(process.stdout, mask);
      const result = await rollbackEnvironment({
        config: targetConfig,
        configFile: config.value.file,
        target,
        environment: values.environment as EnvironmentName,
        snapshotId: values.to,
        workspace,
        stateDir,
        // The rollback command's own output is printed as it runs: a failure is explained, not just "exit 1".
        io: createDefaultIo(mask, createTerminalObserver(log, { tty: false, color: false })),
        cli: thisCli,
        mask,
        lockTimeoutMs: lockTimeoutMs ?? config.value.lockTimeoutMs,
        say: (line) => process.stderr.write(`meta-deploy: ${line}\n`),
      });
      log.end();
      process.stdout.write(`${result.ok ? '✓' : '✗'} ${values.environment}: ${result.detail}\n`);
      if (!result.ok && result.manualCommand) process.stdout.write(`  to retry by hand: ${result.manualCommand}\n`);
      return result.ok ? 0 : 1;
    }
    case 'history': {
      const config = await loadRequestedConfig(workspace, values.config);
      if (!config.ok) return configError(config.message);
      const chosen = values.target === undefined ? undefined : chooseTarget(values.target, config.value);
      if (chosen && !chosen.ok) return usageError(chosen.error);
      const records = (await createRecordStore(join(stateDirOf(config.value, workspace), 'records.jsonl')).list()).filter(
        (record) => !chosen || record.target === chosen.target,
      );
      process.stdout.write(values.json ? `${JSON.stringify(records, null, 2)}\n` : renderHistory(records));
      return 0;
    }
    default:
      return usageError(`unknown command ${quoteValue(command)}`);
  }
}

function configError(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

dropUnwritableOutput(process.stdout, process.stderr);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    process.stderr.write(`meta-deploy: internal error: ${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  },
);
