import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCommand } from '../../src/exec/find-command.js';

let bin: string;
let env: NodeJS.ProcessEnv;

async function tool(name: string, script: string, mode = 0o755): Promise<string> {
  const file = path.join(bin, name);
  await writeFile(file, `#!/bin/sh\n${script}\n`);
  await chmod(file, mode);
  return file;
}

beforeAll(async () => {
  bin = await mkdtemp(path.join(os.tmpdir(), 'meta-deploy-bin-'));
  env = { PATH: `${path.join(bin, 'missing')}:${bin}` };
  await tool('deployctl', 'echo "deployctl version 1.29.3 (build 2024)"');
  await tool('kubelike', '[ "$1" = version ] && [ "$2" = --client ] && echo "Client Version: v1.27.1"; [ "$1" = --version ] && echo "unknown flag at line 3" >&2; exit 1');
  await tool('stderrtool', 'echo "stderrtool 2.5" >&2; exit 2');
  await tool('noversion', 'echo hello');
  await tool('notexec', 'echo 9.9.9', 0o644);
  await tool('injected', 'echo "args: $*"; echo 1.0.0');
});
afterAll(async () => {
  await rm(bin, { recursive: true, force: true });
});

describe('findCommand', () => {
  it('finds an executable on PATH without a range', async () => {
    expect(await findCommand('deployctl', undefined, env)).toEqual({
      ok: true,
      path: path.join(bin, 'deployctl'),
      detail: `found at ${path.join(bin, 'deployctl')}`,
    });
  });

  it('reports an executable missing from PATH', async () => {
    expect(await findCommand('nope-not-here', undefined, env)).toEqual({ ok: false, detail: 'nope-not-here not found on PATH' });
  });

  it('skips files that are not executable', async () => {
    expect((await findCommand('notexec', undefined, env)).ok).toBe(false);
  });

  it('accepts a version inside the range', async () => {
    const found = await findCommand('deployctl', '>=1.28', env);
    expect(found).toMatchObject({ ok: true, version: '1.29.3', detail: `${path.join(bin, 'deployctl')} 1.29.3 satisfies >=1.28` });
  });

  it('rejects a version outside the range, read from `version --client` when --version prints none', async () => {
    const found = await findCommand('kubelike', '>=1.28', env);
    expect(found).toMatchObject({ ok: false, version: '1.27.1', detail: `${path.join(bin, 'kubelike')} 1.27.1 does not satisfy >=1.28` });
  });

  it('reads a version printed on stderr by a tool that exits non-zero', async () => {
    expect(await findCommand('stderrtool', '^2', env)).toMatchObject({ ok: true, version: '2.5.0' });
  });

  it('fails when no version can be read for a range', async () => {
    const found = await findCommand('noversion', '>=1', env);
    expect(found.ok).toBe(false);
    expect(found.detail).toMatch(/could not read a version/);
  });

  it('rejects an invalid range', async () => {
    expect(await findCommand('deployctl', 'not a range!', env)).toEqual({ ok: false, detail: 'invalid version range "not a range!"' });
  });

  it('passes --version as an argument, never through a shell', async () => {
    const found = await findCommand('injected', '>=1', env);
    expect(found).toMatchObject({ ok: true, version: '1.0.0' });
  });

  it('accepts a path instead of a name', async () => {
    expect(await findCommand(path.join(bin, 'deployctl'), '1.x', env)).toMatchObject({ ok: true });
  });
});
