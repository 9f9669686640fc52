// Gates pass only on evidence, and placeholders are filled wherever a user writes them — through the bundled CLI
// (dist/cli/index.js) on a real workspace served by real platforms.
import { mkdir, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { startPlatform } from '../support/platform.js';
import { runNode } from '../support/runner-files.js';
import { fixtureWorkspace, serviceConfig, writeConfig } from '../support/workspace.js';

const exists = (file: string) => access(file).then(() => true, () => false);
const cli = (workspace: string, ...args: string[]) => runNode('dist/cli/index.js', {}, { cwd: workspace, args });

/** The fixture config with staging's smoke checks replaced by `smoke` (a YAML flow list). */
function withStagingSmoke(config: string, smoke: string): string {
  const line = /^ {4}smoke: \{ timeout: 2s, interval: 200ms, checks: .*$/m;
  if (!line.test(config)) throw new Error('serviceConfig no longer has the staging smoke line this test rewrites');
  return config.replace(line, `    smoke: { timeout: 2s, interval: 200ms, checks: ${smoke} }`);
}

describe('gates that cannot check fail with the reason', () => {
  test('approvals that cannot be counted fail review:approved, and nothing is built or deployed', async () => {
    const workspace = await fixtureWorkspace();
    const config = serviceConfig({ stagingUrl: 'http://127.0.0.1:9', productionUrl: 'http://127.0.0.1:9' });
    await writeConfig(workspace, config.replace('  review:\n', '  review:\n    approvals: 2\n'));

    const result = await cli(workspace, 'run', '--version', '1.0.0', '--json');
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ result: 'failed', failedStage: 'validate' });
    const gate = report.stages.validate.gates.find((g: { name: string }) => g.name === 'review:approved');
    expect(gate).toMatchObject({ passed: false, detail: expect.stringContaining('cannot count approvals: ') });
    expect(report.stages.validate.data.review.approvals).toMatchObject({ required: 2, status: 'failed' });
    expect(report.reason).toContain('cannot count approvals');
    // The stage line and the table say it failed, not "not checked".
    expect(report.stages.validate.notes).toContain('approvals failed: cannot count');
    expect(await exists(join(workspace, 'dist'))).toBe(false);
  });

  test('approvals: 0 is "not required" and the gate passes', async () => {
    const workspace = await fixtureWorkspace();
    await using staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
    const config = serviceConfig({ stagingUrl: staging.url, productionUrl: 'http://127.0.0.1:9' });
    await writeConfig(workspace, config.replace('  review:\n', '  review:\n    approvals: 0\n'));

    const result = await cli(workspace, 'run', '--version', '1.0.0', '--environments', 'staging', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).stages.validate.data.review.approvals).toMatchObject({ status: 'skipped', detail: 'not required (approvals: 0)' });
  });
});

describe('placeholders are filled at run time', () => {
  test('contains: "${version}" is compared with the version deployed, and prerequisites name the target', async () => {
    const workspace = await fixtureWorkspace();
    await using staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
    await mkdir(join(workspace, 'deploy'));
    await writeFile(join(workspace, 'deploy', 'web.env'), '');
    const config = withStagingSmoke(
      serviceConfig({ stagingUrl: staging.url, productionUrl: 'http://127.0.0.1:9' }),
      '[{ name: Serves this version, http: "${url}/version", contains: "${version}" }]',
    ).replace('    files: [app.mjs]', `    files: [app.mjs, "deploy/\${target}.env"]\n    reachable: ["${staging.url}/?target=\${target}"]`);
    await writeConfig(workspace, config);

    const result = await cli(workspace, 'run', '--version', '2.3.4', '--environments', 'staging', '--json');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.stages.staging.data.checks.checks).toEqual([expect.objectContaining({ name: 'Serves this version', status: 'passed' })]);
    expect(report.stages.validate.data.prerequisites.map((item: { subject: string; status: string }) => [item.subject, item.status])).toEqual(
      expect.arrayContaining([
        ['deploy/web.env', 'passed'],
        [`${staging.url}/?target=web`, 'passed'],
      ]),
    );
  });

  test('a release that does not serve the version fails contains: "${version}" with the filled-in value', async () => {
    const workspace = await fixtureWorkspace();
    await using staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
    const config = withStagingSmoke(
      serviceConfig({ stagingUrl: staging.url, productionUrl: 'http://127.0.0.1:9' }),
      '[{ name: Serves another version, http: "${url}/version", contains: "v${version}" }]',
    );
    await writeConfig(workspace, config);

    const result = await cli(workspace, 'run', '--version', '2.3.4', '--environments', 'staging', '--json');
    expect(result.code).toBe(1);
    const [check] = JSON.parse(result.stdout).stages.staging.data.checks.checks;
    expect(check).toMatchObject({ status: 'failed', expected: 'body contains "v2.3.4"' });
  });
});
