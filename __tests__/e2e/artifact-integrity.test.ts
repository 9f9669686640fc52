// Build integrity as a user meets it, through the bundled CLI (dist/cli/index.js, whose hash pool runs on worker
// threads): the artifacts handed to production are checked against SHA256SUMS right before its deploy, so a staging
// deploy command that changes, deletes or adds a file in the artifacts store stops the production deploy with the
// file named and production still on the old version; `environments.<env>.requires` fails the build when a file an
// environment needs is not among the artifacts; a symbolic link among the build output fails the build, named;
// `build.max-size` fails one byte over the limit and passes at it.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { createDeployWorkspace, type DeployWorkspace } from '../engine/deploy-workspace.js';
import { runNode } from '../support/runner-files.js';

/** Staging and production deployed by the workspace's scripts; `stagingDeploy` runs as staging's deploy command. */
function config({ build = '', stagingDeploy = './deploy.sh', productionRequires = '[]' } = {}): string {
  const environment = (name: string) => `    rollback: ./rollback.sh
    snapshot: ./snapshot.sh
    ${name === 'staging' ? 'smoke' : 'health'}: { timeout: 500ms, interval: 100ms, checks: [{ name: Deployed, run: "test -f envs/${name}/current" }] }`;
  return `version: 1
validate:
  tests:
    - { name: unit, run: "true" }
build:
  run: ./build.sh
  artifacts: ["out/**"]
${build}
environments:
  staging:
    deploy: ${JSON.stringify(stagingDeploy)}
${environment('staging')}
  production:
    deploy: ./deploy.sh
    requires: ${productionRequires}
${environment('production')}
finalize: { changelog: false, release: false }
`;
}

async function run(workspace: DeployWorkspace, yaml: string, version: string) {
  await writeFile(workspace.configFile, yaml);
  const result = await runNode('dist/cli/index.js', {}, { cwd: workspace.dir, args: ['run', '--config', workspace.configFile, '--version', version, '--json'] });
  return { ...result, report: JSON.parse(result.stdout) };
}

async function workspaceWithBuild(): Promise<DeployWorkspace> {
  const workspace = await createDeployWorkspace();
  await workspace.writeScript('build.sh', 'mkdir -p out/config\nprintf "app\\n" > out/app.js\nprintf "{}\\n" > out/config/production.json\n');
  return workspace;
}

test.each([
  ['changed', 'printf X | dd of="$META_DEPLOY_ARTIFACTS_DIR/app.js" bs=1 seek=1 conv=notrunc 2>/dev/null', 'app.js: content changed (sha256 differs)'],
  ['deleted', 'rm "$META_DEPLOY_ARTIFACTS_DIR/config/production.json"', 'config/production.json: missing'],
  ['added', 'printf planted > "$META_DEPLOY_ARTIFACTS_DIR/backdoor.js"', 'backdoor.js: extra (not in SHA256SUMS)'],
])('an artifact %s after the build stops the production deploy, naming the file; production keeps the old version', async (_, tamper, problem) => {
  await using workspace = await workspaceWithBuild();
  const first = await run(workspace, config(), '1.0.0');
  expect(first.code, first.stdout + first.stderr).toBe(0);
  expect(first.report.stages.production.data.tamper).toMatchObject({ status: 'passed', mode: 'full hash', files: 2, problems: [] });

  const second = await run(workspace, config({ stagingDeploy: `./deploy.sh && ${tamper}` }), '2.0.0');
  expect(second.code).toBe(1);
  expect(await workspace.current('staging')).toBe('2.0.0');
  expect(await workspace.current('production')).toBe('1.0.0');
  const production = second.report.stages.production;
  expect(production.data.tamper).toMatchObject({ status: 'failed', mode: 'full hash', files: 2, problems: [problem] });
  expect(production.data.deploy).toBeUndefined();
  expect(second.report.reason).toBe(`artifacts changed since the build, so nothing was deployed to production: ${problem}`);
});

test.each(['full', 'size-mtime'])('verify-before-deploy %s: a changed file with SHA256SUMS rewritten to match stops the deploy too, naming both', async (depth) => {
  await using workspace = await workspaceWithBuild();
  // Whoever can write the store can write the manifest beside it: the run keeps the manifest's own SHA-256.
  const tamper = 'printf "app, changed\\n" > "$META_DEPLOY_ARTIFACTS_DIR/app.js" && (cd "$META_DEPLOY_ARTIFACTS_DIR" && sha256sum app.js config/production.json > "$PWD.SHA256SUMS")';
  const second = await run(workspace, config({ build: `  verify-before-deploy: ${depth}`, stagingDeploy: `./deploy.sh && ${tamper}` }), '2.0.0');
  expect(second.code, second.stdout + second.stderr).toBe(1);
  expect(await workspace.current('production')).toBeUndefined();
  const { tamper: check, deploy } = second.report.stages.production.data;
  expect(check.problems).toEqual(['SHA256SUMS changed since the build (its sha256 is not the one this run recorded)', expect.stringMatching(/^app\.js: content changed/)]);
  expect(deploy).toBeUndefined();
  expect(second.report.stages.build.data.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
});

test('build.verify-before-deploy: size-mtime is the fast guard, and says so in the report', async () => {
  await using workspace = await workspaceWithBuild();
  const tampered = await run(workspace, config({ build: '  verify-before-deploy: size-mtime', stagingDeploy: './deploy.sh && printf more >> "$META_DEPLOY_ARTIFACTS_DIR/app.js"' }), '1.0.0');
  expect(tampered.code).toBe(1);
  expect(tampered.report.stages.production.data.tamper).toMatchObject({ status: 'failed', mode: 'size and mtime', problems: ['app.js: content changed (size 8, built 4)'] });
  expect(await workspace.current('production')).toBeUndefined();
});

test('a symbolic link among the build output fails the build, named with its target, instead of being left out', async () => {
  await using workspace = await workspaceWithBuild();
  await workspace.writeScript('build.sh', 'mkdir -p out/config\nprintf "app\\n" > out/app.js\nprintf "{}\\n" > out/config/production.json\nln -sf /etc/hostname out/config/host\n');
  const linked = await run(workspace, config(), '1.0.0');
  expect(linked.code).toBe(1);
  expect(linked.report.failedStage).toBe('build');
  expect(linked.report.reason).toBe('build failed: symbolic links among the artifacts, which deploy regular files only (copy the file in, or leave the link out with a "!" pattern): out/config/host → /etc/hostname');
  expect(await workspace.current('staging')).toBeUndefined();
  // Left out with a "!" pattern, the build goes on without it.
  const excluded = await run(workspace, config().replace('artifacts: ["out/**"]', 'artifacts: ["out/**", "!out/config/host"]'), '1.0.1');
  expect(excluded.code, excluded.stdout + excluded.stderr).toBe(0);
  expect(excluded.report.stages.build.data.artifacts.map((artifact: { path: string }) => artifact.path)).toEqual(['app.js', 'config/production.json']);
});

test('environments.production.requires: a file missing from the artifacts fails the build, naming environment and path', async () => {
  await using workspace = await workspaceWithBuild();
  const missing = await run(workspace, config({ productionRequires: '[config/production.json, config/secrets.json]' }), '1.0.0');
  expect(missing.code).toBe(1);
  expect(missing.report.failedStage).toBe('build');
  expect(missing.report.reason).toBe('build failed: environments.production.requires config/secrets.json: not among the artifacts');
  expect(missing.report.stages.build.data.requires).toEqual([
    { environment: 'production', path: 'config/production.json', present: true },
    { environment: 'production', path: 'config/secrets.json', present: false },
  ]);
  expect(await workspace.current('staging')).toBeUndefined();

  const present = await run(workspace, config({ productionRequires: '[config/production.json]' }), '1.0.0');
  expect(present.code, present.stdout).toBe(0);
  // Only environments that run are checked: a staging-only run does not need production's files.
  await writeFile(workspace.configFile, config({ productionRequires: '[config/secrets.json]' }));
  const stagingOnly = await runNode('dist/cli/index.js', {}, { cwd: workspace.dir, args: ['run', '--config', workspace.configFile, '--version', '1.0.1', '--environments', 'staging', '--json'] });
  expect(stagingOnly.code, stagingOnly.stdout).toBe(0);
  expect(JSON.parse(stagingOnly.stdout).stages.build.data.requires).toEqual([]);
});

test('build.max-size: one byte over the limit fails the build, exactly at the limit it deploys', async () => {
  await using workspace = await createDeployWorkspace();
  // 1000 bytes of out/app.js + "{}\n" (3 bytes) against max-size 1003 B.
  const build = (appBytes: number) => `mkdir -p out\nhead -c ${appBytes} /dev/zero | tr '\\0' x > out/app.js\nprintf "{}\\n" > out/config.json\n`;
  await workspace.writeScript('build.sh', build(1001));
  const over = await run(workspace, config({ build: '  max-size: 1003B' }), '1.0.0');
  expect(over.code).toBe(1);
  expect(over.report.reason).toMatch(/^build failed: artifacts total .*, over build\.max-size /);
  expect(over.report.stages.build.data.totalSize).toBe(1004);
  expect(await workspace.current('staging')).toBeUndefined();

  await workspace.writeScript('build.sh', build(1000));
  const atLimit = await run(workspace, config({ build: '  max-size: 1003B' }), '1.0.0');
  expect(atLimit.code, atLimit.stdout).toBe(0);
  expect(atLimit.report.stages.build.data.totalSize).toBe(1003);
  expect(await workspace.current('production')).toBe('1.0.0');
});
