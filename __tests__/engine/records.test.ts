import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { EnvironmentName } from '../../src/config/types.js';
import { createRecordStore, recordOf, type DeploymentRecord } from '../../src/engine/records.js';
import { newDeployment } from '../../src/engine/run-deploy.js';
import type { DeployPlan } from '../../src/plan/types.js';

const CONFIG = `version: 1
targets:
  web: {}
environments:
  staging: { deploy: ./deploy.sh, rollback: ./rollback.sh, smoke: { checks: [{ name: up, run: ./up.sh }] } }
  production: { deploy: ./deploy.sh, rollback: ./rollback.sh, health: { checks: [{ name: up, run: ./up.sh }] } }
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meta-deploy-records-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function record(version: string, deployedTo: EnvironmentName[], target = 'web'): DeploymentRecord {
  return {
    id: `${target}-${version}`,
    target,
    version,
    environments: ['staging', 'production'],
    result: deployedTo.includes('production') ? 'success' : 'failed',
    startedAt: '2026-01-01T00:00:00.000Z',
    deployedTo,
  };
}

function minimalPlan(stateDir: string): DeployPlan {
  const loaded = parseConfig(CONFIG, join(stateDir, 'meta-deploy.yml'));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return {
    target: 'web',
    version: '1.3.0',
    versionSource: 'input',
    versionFrom: 'local git',
    changes: { commits: [] },
    previousVersion: '1.2.0',
    sha: 'abc123',
    environments: ['staging', 'production'],
    configFile: loaded.config.file,
    workspace: stateDir,
    stateDir,
    lockTimeoutMs: 1000,
    dryRun: false,
    stages: [],
    config: loaded.config.targets['web']!,
  };
}

describe('record store', () => {
  test('lists what was appended, in order, field for field', async () => {
    const store = createRecordStore(join(dir, 'state', 'records.jsonl'));
    const first = { ...record('1.0.0', ['staging', 'production']), reason: 'line\nbreak "quoted"', durationMs: 1234 };
    const second = record('1.1.0', ['staging']);
    await store.append(first);
    await store.append(second);
    expect(await store.list()).toEqual([first, second]);
    const lines = (await readFile(store.file, 'utf8')).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
  });

  test('lists nothing when the records file does not exist yet', async () => {
    const store = createRecordStore(join(dir, 'missing', 'records.jsonl'));
    expect(await store.list()).toEqual([]);
    expect(await store.lastDeployedVersion('web', 'production')).toBeUndefined();
  });

  test('skips a torn last line left by a crash, and the next append lands on its own readable line', async () => {
    const store = createRecordStore(join(dir, 'records.jsonl'));
    const before = record('1.0.0', ['staging', 'production']);
    await store.append(before);
    // A crash mid-append: half a JSON line, no newline.
    const torn = JSON.stringify(record('1.1.0', ['staging', 'production']));
    await appendFile(store.file, torn.slice(0, Math.floor(torn.length / 2)));
    expect(await store.list()).toEqual([before]);

    const after = record('1.2.0', ['staging', 'production']);
    await store.append(after);
    expect(await store.list()).toEqual([before, after]);
    const lines = (await readFile(store.file, 'utf8')).split('\n');
    expect(lines[2]).toBe(JSON.stringify(after));
    expect(await store.lastDeployedVersion('web', 'production')).toBe('1.2.0');
  });

  test('lastDeployedVersion picks the latest record that left the version running in that environment', async () => {
    const store = createRecordStore(join(dir, 'records.jsonl'));
    await store.append(record('1.0.0', ['staging', 'production']));
    await store.append(record('1.1.0', ['staging', 'production']));
    await store.append(record('1.2.0', ['staging'])); // production rolled back
    await store.append(record('9.9.9', ['staging', 'production'], 'api')); // another target
    await store.append(record('1.3.0', [])); // failed in staging
    expect(await store.lastDeployedVersion('web', 'production')).toBe('1.1.0');
    expect(await store.lastDeployedVersion('web', 'staging')).toBe('1.2.0');
    expect(await store.lastDeployedVersion('api', 'production')).toBe('9.9.9');
    expect(await store.lastDeployedVersion('nope', 'production')).toBeUndefined();
  });
});

describe('recordOf', () => {
  test('a successful deployment lists both environments in deployedTo', () => {
    const deployment = newDeployment(minimalPlan(dir));
    for (const id of ['validate', 'build', 'staging', 'production', 'verify', 'finalize'] as const) deployment.stages[id].status = 'passed';
    deployment.result = 'success';
    deployment.snapshotId = 'snap-1';
    const out = recordOf(deployment);
    expect(out).toMatchObject({
      id: deployment.id,
      target: 'web',
      version: '1.3.0',
      previousVersion: '1.2.0',
      sha: 'abc123',
      result: 'success',
      snapshotId: 'snap-1',
      environments: ['staging', 'production'],
      deployedTo: ['staging', 'production'],
    });
  });

  test('a deployment rolled back by verify does not list production in deployedTo', () => {
    const deployment = newDeployment(minimalPlan(dir));
    for (const id of ['validate', 'build', 'staging', 'production'] as const) deployment.stages[id].status = 'passed';
    deployment.stages.verify.status = 'rolled-back';
    deployment.result = 'rolled-back';
    deployment.failedStage = 'verify';
    const out = recordOf(deployment);
    expect(out.result).toBe('rolled-back');
    expect(out.failedStage).toBe('verify');
    expect(out.deployedTo).toEqual(['staging']);
  });

  test('a deployment whose production health check rolled back does not list production in deployedTo', () => {
    const deployment = newDeployment(minimalPlan(dir));
    for (const id of ['validate', 'build', 'staging'] as const) deployment.stages[id].status = 'passed';
    deployment.stages.production.status = 'rolled-back';
    deployment.result = 'rolled-back';
    deployment.failedStage = 'production';
    expect(recordOf(deployment).deployedTo).toEqual(['staging']);
  });

  test('a run that never finished has result failed and deployedTo empty', () => {
    const deployment = newDeployment(minimalPlan(dir));
    const out = recordOf(deployment);
    expect(out.result).toBe('failed');
    expect(out.deployedTo).toEqual([]);
  });

  test('the record of a rolled-back run keeps the previous version as the production version', async () => {
    const store = createRecordStore(join(dir, 'records.jsonl'));
    await store.append(record('1.2.0', ['staging', 'production']));
    const deployment = newDeployment(minimalPlan(dir));
    for (const id of ['validate', 'build', 'staging', 'production'] as const) deployment.stages[id].status = 'passed';
    deployment.stages.verify.status = 'rolled-back';
    deployment.result = 'rolled-back';
    await store.append(recordOf(deployment));
    expect(await store.lastDeployedVersion('web', 'production')).toBe('1.2.0');
    expect(await store.lastDeployedVersion('web', 'staging')).toBe('1.3.0');
  });
});
