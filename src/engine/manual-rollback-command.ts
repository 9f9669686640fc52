// The command a human runs to roll an environment back by hand, shown in reports (the snapshot's rollback command,
// and the first line of every report when an automatic rollback failed). Every provider rolls back through the same
// CLI, so it is built once here, complete enough to run from any directory.

export interface ManualRollback {
  /** How meta-deploy is started where this run happened, e.g. `node /opt/meta-deploy/dist/cli/index.js`. */
  program: string;
  workspace: string;
  configFile: string;
  target: string;
  environment: string;
  snapshotId: string;
}

/** `<program> rollback --workspace <dir> --config <file> --target <t> --environment <e> --to <id>`, shell-safe. */
export function formatManualRollbackCommand(rollback: ManualRollback): string {
  const args = ['--workspace', rollback.workspace, '--config', rollback.configFile, '--target', rollback.target, '--environment', rollback.environment, '--to', rollback.snapshotId];
  return [rollback.program, 'rollback', ...args.map(quoteShellArgument)].join(' ');
}

/** The program part for a CLI bundle at `cliFile`: `node <cliFile>`, quoted. */
export function cliProgram(cliFile: string): string {
  return `node ${quoteShellArgument(cliFile)}`;
}

/** Leaves plain words alone (readable), single-quotes everything else so nothing in it is shell syntax. */
export function quoteShellArgument(value: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
