// The artifact upload through the bundled entry points: in Actions (dist/index.js with ACTIONS_RUNTIME_TOKEN and
// ACTIONS_RESULTS_URL) the artifacts, SHA256SUMS and the JSON report (and, for a failed deployment, the masked debug
// details) reach a local stand-in of GitHub's artifact service, byte for byte, with the digest finalized; the job
// summary links them. The service down is a warning that changes nothing. The CLI keeps the same files, under the
// same paths, in the state dir's artifact store.
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runtimeToken, startArtifactService, UPLOAD_SIGNATURE, type ArtifactService } from '../support/artifact-service.js';
import { freePort, startPlatform } from '../support/platform.js';
import { runNode, runnerFiles } from '../support/runner-files.js';
import { fixtureWorkspace, serviceConfig, writeConfig } from '../support/workspace.js';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The fixture service's config with `build.upload` and, optionally, another build command. */
function uploadConfig(stagingUrl: string, productionUrl: string, build: { upload: string; run?: string }): string {
  const yaml = serviceConfig({ stagingUrl, productionUrl }).replace('  artifacts: ["dist/**"]\n', `  artifacts: ["dist/**"]\n  upload: ${build.upload}\n`);
  return build.run === undefined ? yaml : yaml.replace('  run: node build.mjs\n', `  run: ${JSON.stringify(build.run)}\n`);
}

async function setUp(build: { upload: string; run?: string }) {
  const workspace = await fixtureWorkspace();
  const staging = await startPlatform(join(workspace, 'srv', 'staging'), 'staging');
  const production = await startPlatform(join(workspace, 'srv', 'production'), 'production');
  await writeConfig(workspace, uploadConfig(staging.url, production.url, build));
  return { workspace, staging, production };
}

/** The action as the runner starts it, in a workflow run whose artifact service is `resultsUrl`. */
async function deploy(workspace: string, service: { url: string; token: string }, env: Record<string, string> = {}) {
  const runner = await runnerFiles(workspace, { version: '1.0.0', 'github-token': '' });
  const result = await runNode('dist/index.js', {
    ...runner.env,
    ACTIONS_RUNTIME_TOKEN: service.token,
    ACTIONS_RESULTS_URL: `${service.url}/`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '777',
    ...env,
  });
  const outputs = await runner.outputs();
  const reportText = await readFile(outputs.report!, 'utf8');
  return { result, outputs, summary: await runner.summary(), reportText, report: JSON.parse(reportText) };
}

/** Unzips what the service received; returns each entry's bytes by path. */
async function unzipped(zip: Buffer): Promise<Map<string, Buffer>> {
  const dir = await mkdtemp(join(tmpdir(), 'uploaded-'));
  await writeFile(join(dir, 'artifact.zip'), zip);
  execFileSync('unzip', ['-q', 'artifact.zip', '-d', 'out'], { cwd: dir });
  const entries = await readdir(join(dir, 'out'), { recursive: true, withFileTypes: true });
  const files = new Map<string, Buffer>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files.set(path.slice(join(dir, 'out').length + 1), await readFile(path));
  }
  return files;
}

function finalized(service: ArtifactService) {
  return service.calls.find((call) => call.method === 'FinalizeArtifact')?.body as { name: string; size: string; hash: string } | undefined;
}

describe('artifact upload (dist/)', () => {
  test('in Actions: the artifacts, SHA256SUMS and report arrive whole, the digest matches, the summary links them', async () => {
    const { workspace, staging, production } = await setUp({ upload: '{ name: "shop-${target}-${version}", retention-days: 7 }' });
    await using _s = staging;
    await using _p = production;
    await using service = await startArtifactService();

    const { result, outputs, summary, report, reportText } = await deploy(workspace, service);

    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(outputs.result).toBe('success');
    expect(service.calls.map((call) => call.method)).toEqual(['CreateArtifact', 'FinalizeArtifact']);
    const [create] = service.calls;
    expect(create!.authorization).toBe(`Bearer ${service.token}`);
    expect(create!.body).toMatchObject({ name: 'shop-web-1.0.0', workflow_run_backend_id: service.ids.run, workflow_job_run_backend_id: service.ids.job });
    // retention-days: 7 → expires in 7 days.
    const expiresInDays = (Date.parse(String(create!.body.expires_at)) - Date.now()) / 86_400_000;
    expect(expiresInDays).toBeGreaterThan(6.9);
    expect(expiresInDays).toBeLessThan(7.1);

    // The bytes that arrived are the ones FinalizeArtifact vouches for.
    const zip = service.blobs.get('shop-web-1.0.0')!;
    expect(finalized(service)).toEqual({ workflow_run_backend_id: service.ids.run, workflow_job_run_backend_id: service.ids.job, name: 'shop-web-1.0.0', size: String(zip.length), hash: `sha256:${sha256(zip)}` });

    // Same layout as the local store: <run id>/ (the artifacts), <run id>.SHA256SUMS, <run id>.report.json.
    const id = report.id as string;
    const store = join(workspace, '.meta-deploy', 'artifacts');
    const files = await unzipped(zip);
    const artifacts = report.stages.build.data.artifacts as { path: string; sha256: string }[];
    expect([...files.keys()].sort()).toEqual([...artifacts.map((a) => `${id}/${a.path}`), `${id}.SHA256SUMS`, `${id}.report.json`].sort());
    for (const artifact of artifacts) expect(sha256(files.get(`${id}/${artifact.path}`)!)).toBe(artifact.sha256);
    expect(files.get(`${id}.SHA256SUMS`)!.toString()).toBe(await readFile(join(store, `${id}.SHA256SUMS`), 'utf8'));
    expect(files.get(`${id}.SHA256SUMS`)!.toString()).toBe(artifacts.map((a) => `${a.sha256}  ${a.path}\n`).join(''));
    const uploadedReport = JSON.parse(files.get(`${id}.report.json`)!.toString());
    expect(uploadedReport).toMatchObject({ id, result: 'success', version: '1.0.0' });

    // The report kept on disk says where it went; the summary links it; the signed URL's signature is nowhere.
    const url = 'https://github.com/acme/shop/actions/runs/777/artifacts/4100';
    expect(report.stages.build.data.upload).toMatchObject({ status: 'passed', name: 'shop-web-1.0.0', url });
    expect(report.stages.build.data.upload.detail).toContain(`sha256:${sha256(zip)}`);
    expect(summary).toContain(`**Artifacts:** [shop-web-1.0.0](${url})`);
    expect(summary + reportText).not.toContain(UPLOAD_SIGNATURE);
  }, 60_000);

  test('a failed deployment also uploads its debug details, masked', async () => {
    const secret = `tok-${sha256(String(Math.random())).slice(0, 24)}`;
    const { workspace, staging, production } = await setUp({
      upload: '{}',
      run: 'node build.mjs && echo "deploying with $DEPLOY_TOKEN" && echo "the build broke" && exit 3',
    });
    await using _s = staging;
    await using _p = production;
    await using service = await startArtifactService();
    // The token is a declared credential (prerequisites.env): masked everywhere.
    const yaml = await readFile(join(workspace, '.github', 'meta-deploy.yml'), 'utf8');
    await writeConfig(workspace, yaml.replace('  prerequisites:\n', '  prerequisites:\n    env: [DEPLOY_TOKEN]\n'));

    const { result, outputs, report } = await deploy(workspace, service, { DEPLOY_TOKEN: secret });

    expect(result.code).toBe(1);
    expect(outputs).toMatchObject({ result: 'failed', 'failed-stage': 'build' });
    const id = report.id as string;
    // Default name: meta-deploy-${target}-${version}.
    const files = await unzipped(service.blobs.get('meta-deploy-web-1.0.0')!);
    expect([...files.keys()].sort()).toEqual([`${id}.debug.md`, `${id}.report.json`]);
    const debug = files.get(`${id}.debug.md`)!.toString();
    expect(debug).toContain('### Failure at Build');
    expect(debug).toContain('the build broke');
    expect(debug).toContain('deploying with ***');
    for (const text of [...files.values()].map(String)) expect(text).not.toContain(secret);
    expect(await readFile(join(workspace, '.meta-deploy', 'artifacts', `${id}.debug.md`), 'utf8')).toBe(debug);
  }, 60_000);

  test('artifacts that failed the secrets gate are never uploaded: only the report and the debug details', async () => {
    // A real private key, generated now, planted by the build among the artifacts.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const { workspace, staging, production } = await setUp({ upload: '{}', run: 'node build.mjs && cp key.pem dist/key.pem' });
    await using _s = staging;
    await using _p = production;
    await using service = await startArtifactService();
    await writeFile(join(workspace, 'key.pem'), privateKey);

    const { outputs, report } = await deploy(workspace, service);

    expect(outputs).toMatchObject({ result: 'failed', 'failed-stage': 'build' });
    const id = report.id as string;
    const files = await unzipped(service.blobs.get('meta-deploy-web-1.0.0')!);
    expect([...files.keys()].sort()).toEqual([`${id}.debug.md`, `${id}.report.json`]);
    const body = privateKey.split('\n')[1]!;
    for (const text of [...files.values()].map(String)) expect(text).not.toContain(body);
  }, 60_000);

  test('the artifact service down: a warning, the deployment still succeeds, the files stay in the local store', async () => {
    const { workspace, staging, production } = await setUp({ upload: '{ name: "shop-${version}" }' });
    await using _s = staging;
    await using _p = production;
    const down = { url: `http://127.0.0.1:${await freePort()}`, token: runtimeToken({ run: 'run-id', job: 'job-id' }) };

    const { result, outputs, summary, report } = await deploy(workspace, down);

    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(outputs.result).toBe('success');
    expect(report.stages.build.data.upload).toMatchObject({ status: 'warning', name: 'shop-1.0.0' });
    expect(report.stages.build.data.upload.detail).toMatch(/^upload of shop-1\.0\.0 failed: .*; the files are kept in /);
    expect(result.stdout).toContain('::warning::artifact upload: upload of shop-1.0.0 failed');
    expect(summary).toContain('**Artifacts:** ⚠');
    const id = report.id as string;
    const stored = await readdir(join(workspace, '.meta-deploy', 'artifacts'));
    expect(stored.filter((name) => name.startsWith(id)).sort()).toEqual([id, `${id}.SHA256SUMS`, `${id}.report.json`]);
  }, 60_000);

  test('the CLI under --json inside a workflow run uploads too, and its stdout stays the JSON report', async () => {
    const { workspace, staging, production } = await setUp({ upload: '{}' });
    await using _s = staging;
    await using _p = production;
    await using service = await startArtifactService();
    const env = { ACTIONS_RUNTIME_TOKEN: service.token, ACTIONS_RESULTS_URL: `${service.url}/`, GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/shop', GITHUB_RUN_ID: '777' };

    const result = await runNode('dist/cli/index.js', env, { cwd: workspace, args: ['run', '--config', '.github/meta-deploy.yml', '--version', '1.0.0', '--json'] });

    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.stages.build.data.upload).toMatchObject({ status: 'passed', url: expect.stringMatching(/^https:\/\/github\.com\/acme\/shop\/actions\/runs\/777\/artifacts\/\d+$/) });
    expect(service.calls.map((call) => call.method)).toEqual(['CreateArtifact', 'FinalizeArtifact']);
    // The client's progress lines are in the log (stderr under --json).
    expect(result.stderr).toMatch(/[Aa]rtifact/);
  }, 60_000);

  test('the CLI keeps the same files in the local artifact store and says where', async () => {
    const { workspace, staging, production } = await setUp({ upload: '{}' });
    await using _s = staging;
    await using _p = production;

    const result = await runNode('dist/cli/index.js', {}, { cwd: workspace, args: ['run', '--config', '.github/meta-deploy.yml', '--version', '1.0.0', '--json'] });

    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    const id = report.id as string;
    const store = join(workspace, '.meta-deploy', 'artifacts');
    expect(report.stages.build.data.upload).toEqual({ status: 'passed', name: store, detail: `${report.stages.build.data.artifacts.length + 2} files kept in the local artifact store: ${store}/${id}*` });
    const kept = JSON.parse(await readFile(join(store, `${id}.report.json`), 'utf8'));
    expect(kept).toMatchObject({ id, result: 'success' });
    for (const artifact of report.stages.build.data.artifacts) expect(sha256(await readFile(join(store, id, artifact.path)))).toBe(artifact.sha256);
  }, 60_000);
});
