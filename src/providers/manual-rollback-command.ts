// The command a human runs to roll an environment back by hand, shown in reports when an automatic rollback failed.
// Every provider rolls back through the same CLI, so the command is built once here.
import type { EnvironmentConfig } from '../config/types.js';

/** `npx meta-deploy rollback --config <file> --environment <name> --to <id>`, each argument shell-safe. */
export function formatManualRollbackCommand(
  environment: EnvironmentConfig,
  snapshotId: string,
  configFile: string,
): string {
  const args = ['--config', configFile, '--environment', environment.name, '--to', snapshotId];
  return ['npx', 'meta-deploy', 'rollback', ...args.map(quoteShellArgument)].join(' ');
}

/** Leaves plain words alone (readable), single-quotes everything else so nothing in it is shell syntax. */
export function quoteShellArgument(value: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
