import { existsSync } from 'node:fs';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/checks/run.js';
import { checkContext, runConfig } from './check-context.js';

let workspace: string;
beforeEach(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'meta-deploy-run-check-'));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

describe('runCheck', () => {
  it('passes a command that exits 0, in the workspace, keeping its output', async () => {
    const outcome = await runCheck(runConfig('pwd'), checkContext(workspace));
    expect(outcome.ok).toBe(true);
    expect(outcome.detail).toMatch(/^exit 0 in \d+ms$/);
    expect(outcome.output).toBe(await realpath(workspace));
  });

  it('fails a command that exits non-zero and keeps the end of its output', async () => {
    const outcome = await runCheck(runConfig('seq 1 100; echo "login failed" >&2; exit 1'), checkContext(workspace));
    expect(outcome).toMatchObject({ ok: false, detail: 'exit 1', expected: 'exit 0', got: 'exit 1' });
    const lines = outcome.output?.split('\n') ?? [];
    expect(lines).toHaveLength(40);
    expect(lines.at(-1)).toBe('login failed');
  });

  it('gives placeholders to the command as variables, so a hostile value stays data', async () => {
    const target = '$(touch PWNED); echo `touch PWNED`';
    const outcome = await runCheck(runConfig("printf '%s' ${target}"), checkContext(workspace, { target }));
    expect(outcome).toMatchObject({ ok: true, output: target });
    expect(existsSync(path.join(workspace, 'PWNED'))).toBe(false);
  });

  it('passes the context environment to the command, with secrets masked in its output', async () => {
    const context = { ...checkContext(workspace), env: { API_TOKEN: 's3cr3t-token' } };
    const outcome = await runCheck(runConfig('echo "token=$API_TOKEN"; test -n "$META_DEPLOY_VERSION"'), context);
    expect(outcome).toMatchObject({ ok: true, output: 'token=***' });
  });

  it('fails a command that outlives the attempt timeout', async () => {
    const outcome = await runCheck(runConfig('sleep 30', { timeoutMs: 200 }), checkContext(workspace));
    expect(outcome).toMatchObject({ ok: false, detail: 'timed out after 200ms (process group killed)', expected: 'exit 0' });
  });

  it('fails with the reason when the command cannot start', async () => {
    const outcome = await runCheck(runConfig('true'), checkContext(path.join(workspace, 'gone')));
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toBe(`could not start: working directory does not exist: ${path.join(workspace, 'gone')}`);
  });
});
