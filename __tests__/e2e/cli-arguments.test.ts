// The bundled CLI's argument handling as a user meets it: `--version` alone, a misspelt option, `--dry-run --json`,
// an unknown `history --target`, and a broken YAML file, each answered once and truthfully.
import { access, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, runNode } from '../support/runner-files.js';
import { fixtureWorkspace, serviceConfig, writeConfig } from '../support/workspace.js';

const exists = (file: string) => access(file).then(() => true, () => false);
const cli = (workspace: string, ...args: string[]) => runNode('dist/cli/index.js', {}, { cwd: workspace, args });

/** A workspace whose config is valid (nothing listens on port 9: nothing here may reach it). */
async function configuredWorkspace(): Promise<string> {
  const workspace = await fixtureWorkspace();
  await writeConfig(workspace, serviceConfig({ stagingUrl: 'http://127.0.0.1:9', productionUrl: 'http://127.0.0.1:9' }));
  return workspace;
}

describe('cli arguments', () => {
  test('--version alone prints the version of meta-deploy itself; after a command it is the version to deploy', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const own = await cli(ROOT, '--version');
    expect(own).toMatchObject({ code: 0, stdout: `meta-deploy ${version}\n`, stderr: '' });

    const workspace = await configuredWorkspace();
    const plan = await cli(workspace, 'run', '--version', '7.8.9', '--dry-run');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('# version:      7.8.9 (given as input)');
    expect((await cli(ROOT, '--help')).stdout).toContain('alone, --version prints meta-deploy\'s own version');
  });

  test.each([
    ['--tagret', 'unknown option --tagret; did you mean --target?'],
    ['--dryrun', 'unknown option --dryrun; did you mean --dry-run?'],
    ['--enviroments=staging', 'unknown option --enviroments; did you mean --environments?'],
    ['--frobnicate', 'unknown option --frobnicate\n'],
  ])('a misspelt option %s is a usage error with a suggestion, and nothing runs', async (option, message) => {
    const workspace = await configuredWorkspace();
    const result = await cli(workspace, 'run', option, 'web', '--version', '1.0.0');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`meta-deploy: ${message}`);
    expect(result.stderr).not.toContain('Unknown option'); // Node's parser message
    expect(await exists(join(workspace, 'dist'))).toBe(false);
  });

  test('run --dry-run --json and plan --json print the resolved plan as JSON, and run nothing', async () => {
    const workspace = await configuredWorkspace();
    for (const args of [['run', '--dry-run', '--json'], ['plan', '--json']]) {
      const result = await cli(workspace, ...args, '--version', '2.0.0', '--environments', 'staging');
      expect(result.code, result.stderr).toBe(0);
      const plan = JSON.parse(result.stdout);
      expect(plan).toMatchObject({ target: 'web', version: '2.0.0', versionSource: 'input', environments: ['staging'], dryRun: true });
      expect(plan.stages.map((stage: { id: string; run: boolean }) => [stage.id, stage.run])).toEqual([
        ['validate', true],
        ['build', true],
        ['staging', true],
        ['production', false],
        ['verify', false],
        ['finalize', true],
      ]);
    }
    expect(await exists(join(workspace, 'dist'))).toBe(false);
  });

  test('history --target with a target that is not configured is a usage error naming the configured ones', async () => {
    const workspace = await configuredWorkspace();
    const result = await cli(workspace, 'history', '--target', 'nope');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('target "nope" is not configured');
    expect(result.stderr).toContain('(targets: web)');
    expect(await cli(workspace, 'history', '--target', 'web')).toMatchObject({ code: 0, stdout: 'no deployments recorded yet\n' });
  });

  test('a YAML syntax error is reported once, not once per enclosing collection', async () => {
    const workspace = await fixtureWorkspace();
    await writeFile(
      join(workspace, 'broken.yml'),
      'version: 1\nenvironments:\n  production:\n    deploy: ./deploy.sh\n    health: { checks: [ { name: "a, run: b }] }\n',
    );
    for (const command of ['validate', 'run', 'plan']) {
      const result = await cli(workspace, command, '--config', 'broken.yml');
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toEqual([`${join(workspace, 'broken.yml')}:5:33: YAML syntax error: a "-quoted string is never closed`]);
    }
  });
});
