import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { DeployConfig } from '../../src/config/types.js';
import { resolveInputs, type RawInputs } from '../../src/plan/inputs.js';

function config(yaml: string): DeployConfig {
  const loaded = parseConfig(yaml, '/repo/.github/meta-deploy.yml');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems, null, 2));
  return loaded.config;
}

const BOTH = config(`version: 1
targets:
  web: {}
  api: {}
environments:
  staging: { deploy: ./deploy.sh staging, rollback: ./rollback.sh staging, smoke: { checks: [{ name: up, run: ./up.sh }] } }
  production: { deploy: ./deploy.sh production, rollback: ./rollback.sh production, health: { checks: [{ name: up, run: ./up.sh }] } }
`);

const STAGING_ONLY = config(`version: 1
environments:
  staging: { deploy: ./deploy.sh, rollback: ./rollback.sh, smoke: { checks: [{ name: up, run: ./up.sh }] } }
`);

const PER_TARGET = config(`version: 1
targets:
  preview: {}
  web:
    environments:
      production: { deploy: ./deploy.sh production, rollback: ./rollback.sh production, health: { checks: [{ name: up, run: ./up.sh }] } }
environments:
  staging: { deploy: ./deploy.sh staging, rollback: ./rollback.sh staging, smoke: { checks: [{ name: up, run: ./up.sh }] } }
`);

function ok(raw: RawInputs, deployConfig = BOTH) {
  const result = resolveInputs(raw, deployConfig);
  if (!result.ok) throw new Error(`expected ok, got: ${result.error}`);
  return result.inputs;
}
function error(raw: RawInputs, deployConfig = BOTH): string {
  const result = resolveInputs(raw, deployConfig);
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.inputs)}`);
  return result.error;
}

describe('target', () => {
  test('defaults to the first configured target', () => {
    expect(ok({}).target).toBe('web');
    expect(ok({ target: '  ' }).target).toBe('web');
  });

  test('an implicit single target is the default', () => {
    expect(ok({}, STAGING_ONLY).target).toBe(STAGING_ONLY.targetNames[0]);
  });

  test('picks a named target', () => {
    expect(ok({ target: 'api' }).target).toBe('api');
  });

  test('an unknown target is an error that quotes the value JSON-escaped and lists the targets', () => {
    const message = error({ target: 'web\nERROR: forged line' });
    expect(message).toBe('target "web\\nERROR: forged line" is not configured in /repo/.github/meta-deploy.yml (targets: web, api)');
    expect(message).not.toContain('\n');
  });

  test('a shell payload as target is quoted as a string, escape codes escaped', () => {
    const message = error({ target: '$(rm -rf ~)\u001b[2J' });
    expect(message).toContain('"$(rm -rf ~)\\u001b[2J"');
    expect(message).not.toContain('\u001b');
  });

  test('a very long bad value is cut short in the message', () => {
    const message = error({ target: 'x'.repeat(5000) });
    expect(message.length).toBeLessThan(400);
  });

  test('inherited object keys are not targets', () => {
    expect(error({ target: 'constructor' })).toContain('"constructor" is not configured');
    expect(error({ target: '__proto__' })).toContain('"__proto__" is not configured');
  });
});

describe('version', () => {
  test.each([
    ['v1.2.3', '1.2.3'],
    ['1.2.3', '1.2.3'],
    [' 2.0.0-rc.1 ', '2.0.0-rc.1'],
  ])('%j is normalised to %j', (raw, expected) => {
    expect(ok({ version: raw }).version).toBe(expected);
  });

  test('no version (or a blank one) means compute it', () => {
    expect(ok({}).version).toBeUndefined();
    expect(ok({ version: ' ' }).version).toBeUndefined();
  });

  test.each(['1.2', 'latest', 'v1.2.3; rm -rf /', '01.2.3'])('%j is an invalid version error quoting the value', (raw) => {
    expect(error({ version: raw })).toBe(`version ${JSON.stringify(raw)} is not a semantic version (e.g. 1.2.3)`);
  });
});

describe('environments', () => {
  test('default to the configured ones, in pipeline order', () => {
    expect(ok({}).environments).toEqual(['staging', 'production']);
    expect(ok({}, STAGING_ONLY).environments).toEqual(['staging']);
  });

  test('`staging` alone runs only staging', () => {
    expect(ok({ environments: 'staging' }).environments).toEqual(['staging']);
  });

  test('a requested list is put in pipeline order and tolerates spaces and empty items', () => {
    expect(ok({ environments: ' production , staging,, ' }).environments).toEqual(['staging', 'production']);
  });

  test('an unknown environment is an error quoting it', () => {
    expect(error({ environments: 'staging,prod' })).toBe('environment "prod" is not one of: staging, production');
  });

  test('requesting an environment the target does not configure is an error', () => {
    expect(error({ environments: 'production' }, STAGING_ONLY)).toMatch(/^environment "production" is not configured for target "/);
  });

  test('environments are those of the chosen target: one without production defaults to staging only and refuses production', () => {
    expect(ok({ target: 'web' }, PER_TARGET).environments).toEqual(['staging', 'production']);
    expect(ok({ target: 'preview' }, PER_TARGET).environments).toEqual(['staging']);
    expect(error({ target: 'preview', environments: 'production' }, PER_TARGET)).toBe(
      'environment "production" is not configured for target "preview"',
    );
    // The action's default value means "every configured environment", not an explicit request for both.
    expect(ok({ target: 'preview', environments: 'staging,production' }, PER_TARGET).environments).toEqual(['staging']);
  });
});

test('dryRun defaults to false and is passed through', () => {
  expect(ok({}).dryRun).toBe(false);
  expect(ok({ dryRun: true }).dryRun).toBe(true);
});
