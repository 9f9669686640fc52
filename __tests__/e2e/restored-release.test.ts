// `meta-deploy rollback` (dist/cli/index.js) is judged on the release it restored: a health check that greps
// `${version}` from the platform's /version passes on the restored release, and the record says what runs now.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { startPlatform } from '../support/platform.js';
import { runNode } from '../support/runner-files.js';
import { fixtureWorkspace, serviceConfig, writeConfig } from '../support/workspace.js';

/** A check a user would write: production answers the version it is supposed to run. */
const RUNS_THIS_VERSION = `
        - { name: Runs this version, run: "curl -fsS \${url}/version | grep -F \${version}" }`;

test('a manual rollback passes a `curl ${url}/version | grep -F ${version}` health check on the restored release', async () => {
  const workspace = await fixtureWorkspace();
  await using staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
  await using production = await startPlatform(join(workspace, 'srv', 'production'), 'production');
  await writeConfig(workspace, serviceConfig({ stagingUrl: staging.url, productionUrl: production.url, extraHealth: RUNS_THIS_VERSION }));
  const cli = (...args: string[]) => runNode('dist/cli/index.js', {}, { cwd: workspace, args });
  for (const version of ['1.0.0', '1.1.0']) {
    const run = await cli('run', '--version', version);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  }
  expect(await production.get('/version')).toEqual({ status: 200, body: '1.1.0' });

  const rollback = await cli('rollback', '--environment', 'production');

  expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
  expect(rollback.stdout).toContain('✓ production: restored 1.0.0');
  expect(await production.get('/version')).toEqual({ status: 200, body: '1.0.0' });
  const records = (await readFile(join(workspace, '.meta-deploy', 'records.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
  expect(records.at(-1)).toMatchObject({ kind: 'rollback', version: '1.0.0', previousVersion: '1.1.0', result: 'rolled-back', snapshotId: '1.0.0', deployedTo: ['production'] });
});
