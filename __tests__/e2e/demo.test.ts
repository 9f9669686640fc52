// `npm run demo` and `npm run demo -- --broken`, exactly as a user runs them from a fresh clone.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from '../support/runner-files.js';

function npmRunDemo(dir: string, ...args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'demo', ...(args.length ? ['--', ...args] : [])], {
      cwd: ROOT,
      env: { ...process.env, META_DEPLOY_DEMO_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stdout += chunk));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

test('the demo deploys all six stages, then the broken release is rolled back and production keeps serving the previous version', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'meta-deploy-demo-'));

  const good = await npmRunDemo(dir);
  expect(good.code, good.stdout).toBe(0);
  for (const stage of ['Validation', 'Build', 'Staging', 'Production', 'Finalize']) {
    expect(good.stdout).toMatch(new RegExp(`${stage}\\s+✓ passed`));
  }
  // Production was empty: there is no latency baseline to compare with, and verify says so instead of passing silently.
  expect(good.stdout).toMatch(/Verification\s+⚠ warning/);
  expect(good.stdout).toContain('latency-p95: no baseline, nothing ran before this first deployment');
  expect(good.stdout).toContain('Deployment Result: SUCCESS');
  expect(good.stdout).toContain('production /version before: 503 nothing deployed; after: 200 0.1.0');

  const broken = await npmRunDemo(dir, '--broken');
  expect(broken.code, broken.stdout).toBe(1);
  expect(broken.stdout).toContain('Deployment Result: ROLLED BACK');
  expect(broken.stdout).toMatch(/Production\s+↩ rolled back/);
  expect(broken.stdout).toContain('production /version before: 200 0.1.0; after: 200 0.1.0');
  expect(broken.stdout).toMatch(/Alert to webhook \(DEMO_WEBHOOK_URL\): sent/);

  // Nothing is left running: both platforms the demo served on are gone.
  for (const run of [good, broken]) {
    const ports = [...run.stdout.matchAll(/(?:staging|production) on http:\/\/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
    expect(ports).toHaveLength(2);
    for (const port of ports) expect(await connects(port)).toBe(false);
  }
});

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
