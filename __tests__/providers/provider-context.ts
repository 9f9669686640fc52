// Builds real provider contexts for tests: a temp workspace, the real process runner, real artifacts on disk.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { PLACEHOLDER_NAMES, placeholderEnv, type Placeholders } from '../../src/exec/placeholders.js';
import { createMasker } from '../../src/exec/mask.js';
import { createProcessRunner } from '../../src/exec/run-command.js';
import type { ProviderContext } from '../../src/providers/types.js';

export const runner = createProcessRunner({ mask: createMasker([]), killGraceMs: 200 });

export function buildEnvironment(overrides: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  return {
    name: 'production',
    provider: 'command',
    keep: 5,
    commandTimeoutMs: 10_000,
    requires: [],
    at: 'environments.production',
    ...overrides,
  };
}

export function buildPlaceholders(overrides: Partial<Placeholders> = {}): Placeholders {
  const placeholders = Object.fromEntries(PLACEHOLDER_NAMES.map((name) => [name, ''])) as Placeholders;
  return { ...placeholders, target: 'web', version: '1.0.0', environment: 'production', ...overrides };
}

export function buildContext(
  workspace: string,
  environment: EnvironmentConfig,
  overrides: Partial<ProviderContext> = {},
): ProviderContext {
  const placeholders = overrides.placeholders ?? buildPlaceholders();
  return {
    workspace,
    environment,
    placeholders,
    env: placeholderEnv(placeholders),
    runner,
    artifactsDir: path.join(workspace, 'artifacts'),
    label: `${environment.name}`,
    ...overrides,
  };
}

/** A temp workspace removed by `await using`. */
export async function createWorkspace(): Promise<{ dir: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meta-deploy-providers-'));
  return { dir, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes files (relative path → content) under `dir`, creating folders; `.sh` files are executable. */
export async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content, { mode: name.endsWith('.sh') ? 0o755 : 0o644 });
  }
}
