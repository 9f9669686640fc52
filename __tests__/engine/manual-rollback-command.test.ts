// The manual rollback command shown in reports must run from anywhere and name exactly what to roll back.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatManualRollbackCommand } from '../../src/engine/manual-rollback-command.js';

const run = promisify(execFile);

describe('manual rollback command', () => {
  it('prints plain arguments unquoted and names workspace, config, target, environment and snapshot', () => {
    const command = formatManualRollbackCommand({ program: 'npx meta-deploy', workspace: '/srv/ws', configFile: '.github/meta-deploy.yml', target: 'web', environment: 'production', snapshotId: '1.2.2' });
    expect(command).toBe('npx meta-deploy rollback --workspace /srv/ws --config .github/meta-deploy.yml --target web --environment production --to 1.2.2');
  });

  it('quotes arguments so bash reads each back exactly, whatever characters they hold', async () => {
    const configFile = "/tmp/my dir/it's $(whoami).yml";
    const snapshotId = "a'b\"c `d` ; rm -rf ~";
    const command = formatManualRollbackCommand({ program: 'npx meta-deploy', workspace: '/tmp/w s', configFile, target: 'web', environment: 'production', snapshotId });
    // Replace the program with printf to see the argument vector bash builds from the command text.
    const argv = command.replace(/^npx meta-deploy rollback /, "printf '%s\\n' ");
    const { stdout } = await run('bash', ['-c', argv]);
    expect(stdout.split('\n').slice(0, -1)).toEqual(['--workspace', '/tmp/w s', '--config', configFile, '--target', 'web', '--environment', 'production', '--to', snapshotId]);
  });
});
