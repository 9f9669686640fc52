// The secrets gate through the bundled action (dist/index.js): real-looking credentials generated at run time and
// planted by the build in a small text file, a nested folder, a 20 MiB one-line bundle and across a scan-window
// boundary fail the build, each named by file:line and rule, and no secret appears in the log, the job summary,
// the JSON report or the deployment records.
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { WINDOW_DEFAULTS } from '../../src/artifacts/text-windows.js';
import { plantedSecrets } from '../support/planted-secrets.js';
import { runNode, runnerFiles } from '../support/runner-files.js';
import { fixtureWorkspace, serviceConfig, writeConfig } from '../support/workspace.js';

test('planted secrets fail the build, each named by file:line and rule, and leak nowhere', async () => {
  const [awsId, awsSecret, github, slack, pem] = plantedSecrets();
  const workspace = await fixtureWorkspace();
  // The boundary file: lines of filler, then the Slack URL starting 10 characters before the first window ends.
  const filler = `${'/* filler */'.padEnd(63, '.')}\n`;
  const fillerLines = Math.floor((WINDOW_DEFAULTS.chunk - 10) / filler.length);
  const pad = 'x'.repeat(WINDOW_DEFAULTS.chunk - 10 - fillerLines * filler.length);
  // A 20 MiB minified bundle: one line, the AWS key id 12 MiB in.
  const chunkOfCode = 'function a(b){return b.map(function(c){return c*2})};var d={"e":[1,2,3]};';
  const half = chunkOfCode.repeat(Math.ceil((10 * 1024 * 1024) / chunkOfCode.length));
  const files: Record<string, string> = {
    'dist/config.txt': `name=shop\nregion=eu\n${github!.text}\n`,
    'dist/deep/nested/settings.yml': `a: 1\n${awsSecret!.text}\nb: 2\n${pem!.text}\n`,
    'dist/bundle.min.js': `${half}${half.slice(0, 2 * 1024 * 1024)}${awsId!.text}${half}`,
    'dist/boundary.js': `${filler.repeat(fillerLines)}${pad}${slack!.text}\n`,
  };
  await writeFile(join(workspace, 'planted.json'), JSON.stringify(files));
  await writeFile(
    join(workspace, 'plant.mjs'),
    `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
for (const [path, text] of Object.entries(JSON.parse(readFileSync('planted.json', 'utf8')))) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
writeFileSync('dist/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
`,
  );
  await writeConfig(workspace, serviceConfig({ stagingUrl: 'http://127.0.0.1:9', productionUrl: 'http://127.0.0.1:9' }).replace('run: node build.mjs', 'run: node plant.mjs'));

  const runner = await runnerFiles(workspace, { version: '1.0.0', 'github-token': '' });
  const result = await runNode('dist/index.js', runner.env);
  const outputs = await runner.outputs();
  const summary = await runner.summary();
  const log = result.stdout + result.stderr;
  const report = await readFile(outputs.report!, 'utf8');
  const records = await readFile(join(workspace, '.meta-deploy', 'records.jsonl'), 'utf8');

  expect(result.code, log).not.toBe(0);
  expect(outputs).toMatchObject({ result: 'failed', 'failed-stage': 'build' });
  const named = [
    `config.txt:3 ${github!.rule}`,
    `deep/nested/settings.yml:2 ${awsSecret!.rule}`,
    `deep/nested/settings.yml:4 ${pem!.rule}`,
    `bundle.min.js:1 ${awsId!.rule}`,
    `boundary.js:${fillerLines + 1} ${slack!.rule}`,
  ];
  const scan = JSON.parse(report).stages.build.data.scan;
  expect(scan.findings.map((f: { path: string; line: number; rule: string }) => `${f.path}:${f.line} ${f.rule}`).sort()).toEqual([...named].sort());
  expect(scan.unscanned).toEqual([{ path: 'logo.png', reason: 'binary content (NUL bytes)' }]);
  // The bundle scans on worker threads (dist/scan-worker/), one per core up to four.
  const threads = Math.min(availableParallelism(), 4);
  expect(scan.workers).toBe(threads);
  expect(summary).toContain(`${threads} worker thread${threads === 1 ? '' : 's'}`);
  for (const where of named) {
    expect(summary).toContain(where);
    expect(log).toContain(where);
  }
  for (const planted of [awsId, awsSecret, github, slack, pem]) {
    for (const [name, text] of Object.entries({ log, summary, report, records })) expect(text.includes(planted!.secret), `${planted!.name} in ${name}`).toBe(false);
  }
  // Nor in the state dir: the refused copies left the artifacts store (a cached state dir would carry them).
  const stateDir = join(workspace, '.meta-deploy');
  for (const planted of [awsId, awsSecret, github, slack, pem]) {
    const grep = spawnSync('grep', ['-rlF', planted!.secret, stateDir], { encoding: 'utf8' });
    expect(grep.stdout, `${planted!.name} in the state dir`).toBe('');
  }
  expect(JSON.parse(report).stages.build.notes).toMatch(/the copies were removed from the artifacts store$/);
}, 120_000);

test('build.secrets-allow: a known false positive is listed as allowed and the build goes on', async () => {
  const [, , github] = plantedSecrets();
  const workspace = await fixtureWorkspace();
  await writeFile(join(workspace, 'plant.mjs'), `import { mkdirSync, writeFileSync } from 'node:fs';\nmkdirSync('dist/fixtures', { recursive: true });\nwriteFileSync('dist/app.js', 'export {};\\n');\nwriteFileSync('dist/fixtures/token.txt', ${JSON.stringify(`${github!.text}\n`)});\n`);
  const config = serviceConfig({ stagingUrl: 'http://127.0.0.1:9', productionUrl: 'http://127.0.0.1:9' }).replace('run: node build.mjs', 'run: node plant.mjs\n  secrets-allow: ["fixtures/**"]');
  await writeConfig(workspace, config);

  const runner = await runnerFiles(workspace, { version: '1.0.0', 'github-token': '' });
  const result = await runNode('dist/index.js', runner.env);
  const outputs = await runner.outputs();
  const log = result.stdout + result.stderr;
  const report = JSON.parse(await readFile(outputs.report!, 'utf8'));
  const build = report.stages.build;

  // The build passed its gates, with a warning; the run goes on to staging (whose unreachable URL is another story).
  expect(build.status, log).toBe('warning');
  expect(build.data.scan.findings).toEqual([expect.objectContaining({ path: 'fixtures/token.txt', line: 1, rule: github!.rule, allowed: true })]);
  const summary = await runner.summary();
  expect(summary).toContain(`fixtures/token.txt:1 ${github!.rule}`);
  expect(summary).toMatch(/fixtures\/token\.txt:1 \S+ \([^)]*\) allowed/);
  // Listed in the log too, as a warning, not under a passed check.
  expect(log).toMatch(/fixtures\/token\.txt:1 \S+ \([^)]*\) allowed/);
  expect(build.data.integrity.find((step: { name: string }) => step.name === 'No sensitive data in artifacts')).toMatchObject({ status: 'warning' });
  for (const text of [log, summary]) expect(text.includes(github!.secret)).toBe(false);
}, 120_000);
