import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

async function load(release) {
  const dir = mkdtempSync(join(tmpdir(), 'sample-'));
  copyFileSync(new URL('../app.mjs', import.meta.url), join(dir, 'app.mjs'));
  writeFileSync(join(dir, 'release.json'), JSON.stringify(release));
  return import(pathToFileURL(join(dir, 'app.mjs')).href);
}

test('serves its version', async () => {
  const app = await load({ version: '1.2.3' });
  assert.equal(app.handle('/version', { environment: 'staging', config: {} }).body, '1.2.3\n');
});

test('is healthy when its requirements are configured', async () => {
  const app = await load({ version: '1.2.3', requires: 'X' });
  assert.equal(app.handle('/healthz', { environment: 'production', config: { X: '1' } }).status, 200);
  assert.equal(app.handle('/healthz', { environment: 'production', config: {} }).status, 500);
});

test('answers 404 for unknown paths', async () => {
  const app = await load({ version: '1.2.3' });
  assert.equal(app.handle('/nope', { environment: 'staging', config: {} }).status, 404);
});
