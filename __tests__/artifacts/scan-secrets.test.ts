import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { collectArtifacts } from '../../src/artifacts/collect-artifacts.js';
import { CREDENTIALS_FILE_RULE, DECLARED_CREDENTIAL_RULE, scanSecrets } from '../../src/artifacts/scan-secrets.js';
import type { ArtifactRecord } from '../../src/engine/model.js';
import { plantedSecrets } from '../support/planted-secrets.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'meta-deploy-secrets-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Writes the files into a workspace's dist/ and collects them, as the build stage does. */
async function artifacts(tree: Record<string, string | Buffer>): Promise<{ into: string; records: ArtifactRecord[] }> {
  const workspace = join(root, 'workspace');
  for (const [path, content] of Object.entries(tree)) {
    await mkdir(dirname(join(workspace, 'dist', path)), { recursive: true });
    await writeFile(join(workspace, 'dist', path), content);
  }
  const into = join(root, 'artifacts');
  const { artifacts: records } = await collectArtifacts(workspace, Object.keys(tree).map((path) => `dist/${path}`).sort(), into);
  return { into, records };
}

const scan = (into: string, records: ArtifactRecord[], knownSecrets: string[] = [], allow: string[] = []) => scanSecrets(into, records, { knownSecrets, allow });
const where = (findings: { path: string; line: number; rule: string }[]) => findings.map(({ path, line, rule }) => `${path}:${line} ${rule}`);

const CLEAN = {
  'app.js': 'export function main() {\n  return fetch("https://example.com/api");\n}\n',
  'index.html': '<!doctype html><title>AKIA is a prefix; ghp_short</title>\n',
  'lib/config.json': '{"region":"eu-west-1","token":"${TOKEN}"}\n',
};

test('finds nothing in clean files, and says what it scanned with which scanner', async () => {
  const { into, records } = await artifacts(CLEAN);
  const result = await scan(into, records, ['a-declared-secret-value']);
  expect(result.findings).toEqual([]);
  expect(result.unscanned).toEqual([]);
  expect(result.files).toBe(3);
  expect(result.bytes).toBe(records.reduce((sum, record) => sum + record.size, 0));
  expect(result.scanner).toMatch(/^secretlint \d+\.\d+\.\d+ \(preset-recommend\)$/);
});

test('finds each planted secret with its line and rule, masked', async () => {
  const planted = plantedSecrets();
  const { into, records } = await artifacts({ ...CLEAN, 'deep/nested/app.js': `// header\n${planted.map((p) => p.text).join('\n\n')}\n` });
  const result = await scan(into, records);
  const lines: string[] = [];
  let line = 2;
  for (const p of planted) {
    lines.push(`deep/nested/app.js:${line} ${p.rule}`);
    line += p.text.split('\n').length + 1;
  }
  expect(where(result.findings)).toEqual(lines);
  for (const finding of result.findings) expect(finding.masked).toMatch(/^.{0,4}…$/);
  const json = JSON.stringify(result);
  for (const p of planted) expect(json).not.toContain(p.secret);
});

test('AWS access key ids are found on their own (the rule option enableIDScanRule is on)', async () => {
  const [aws] = plantedSecrets();
  const { into, records } = await artifacts({ 'a.js': `ok\n${aws!.text}\n` });
  expect(where((await scan(into, records)).findings)).toEqual(['a.js:2 @secretlint/secretlint-rule-aws']);
});

test('finds the value of a declared credential, also with non-ASCII characters; ignores values under 8 characters', async () => {
  const secret = 'geheimes-Passwört-42';
  const { into, records } = await artifacts({ ...CLEAN, 'lib/env.js': `export const env = {\n  token: "${secret}",\n  x: "abc1234",\n};\n` });
  const result = await scan(into, records, [secret, 'abc1234', '']);
  expect(where(result.findings)).toEqual([`lib/env.js:2 ${DECLARED_CREDENTIAL_RULE}`]);
  expect(JSON.stringify(result)).not.toContain(secret);
});

test('flags credentials files by name, not example ones', async () => {
  const { into, records } = await artifacts({ ...CLEAN, '.env': 'DEBUG=1\n', 'config/.env.production': 'X=1\n', '.env.example': 'TOKEN=\n' });
  expect(where((await scan(into, records)).findings)).toEqual([`.env:0 ${CREDENTIALS_FILE_RULE}`, `config/.env.production:0 ${CREDENTIALS_FILE_RULE}`]);
});

test('binary files are recognised by content and listed as unscanned, whatever their name', async () => {
  const { into, records } = await artifacts({
    'logo.js': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]),
    'data.txt': Buffer.from([0x41, 0xff, 0xfe, 0x42, 0x43]),
    'image.png': 'actually text\n',
  });
  const result = await scan(into, records);
  expect(result.unscanned).toEqual([
    { path: 'data.txt', reason: 'binary content (not UTF-8)' },
    { path: 'logo.js', reason: 'binary content (NUL bytes)' },
  ]);
  expect(result.files).toBe(1);
});

test('build.secrets-allow by path glob or by rule id: the finding is still listed, marked allowed', async () => {
  const [aws, , github] = plantedSecrets();
  const { into, records } = await artifacts({ 'vendor/sdk/a.js': `${aws!.text}\n`, 'b.js': `${github!.text}\n`, 'c.js': `${aws!.text}\n` });
  const result = await scan(into, records, [], ['vendor/**', '@secretlint/secretlint-rule-github']);
  expect(result.findings.map((f) => `${f.path} ${f.allowed ? 'allowed' : 'failing'}`)).toEqual(['b.js allowed', 'c.js failing', 'vendor/sdk/a.js allowed']);
});
