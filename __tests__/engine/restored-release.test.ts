// A rollback is judged on the release it restored: after an automatic rollback in staging, production or verify, the
// rollback command and the checks that re-run see `${version}` = the restored version, `${previous_version}` = the
// failed one, `${snapshot}` = the snapshot id. The checks are the natural ones a user writes (`curl … | grep -F
// ${version}`) against real loopback servers that serve what each environment runs now.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { EnvironmentName } from '../../src/config/types.js';
import type { InFlight } from '../../src/engine/in-flight.js';
import { createDeployWorkspace, type DeployWorkspace } from './deploy-workspace.js';
import { startLoopbackServer, type LoopbackServer } from './loopback-server.js';
import { runPipeline } from './run-pipeline.js';

const BROKEN = '2.0.0';

/** An environment as a server: /version answers what it runs; `brokenPath` answers 500 while it runs BROKEN. */
function serveEnvironment(workspace: DeployWorkspace, environment: EnvironmentName, brokenPath: string | undefined): Promise<LoopbackServer> {
  return startLoopbackServer((request, response) => {
    void workspace.current(environment).then((version) => {
      const broken = request.url === brokenPath && version === BROKEN;
      response.writeHead(broken ? 500 : 200, { 'content-type': 'text/plain' });
      response.end(request.url === '/version' ? `${version}\n` : broken ? 'broken\n' : 'ok\n');
    });
  });
}

const CHECKS = `[{ name: Health, http: "\${url}/healthz", status: 200 }, { name: Runs this version, run: "curl -fsS \${url}/version | grep -F \${version}" }]`;

function config(stagingUrl: string, productionUrl: string): string {
  const environment = (url: string) => `
    url: ${url}
    deploy: ./deploy.sh
    rollback: ./rollback.sh
    snapshot: ./snapshot.sh`;
  return `version: 1
validate:
  tests:
    - { name: unit, run: "true" }
environments:
  staging:${environment(stagingUrl)}
    smoke: { timeout: 1s, interval: 100ms, checks: ${CHECKS} }
  production:${environment(productionUrl)}
    health: { timeout: 1s, interval: 100ms, checks: ${CHECKS} }
verify:
  window: 600ms
  interval: 100ms
  latency-p95: { max-ratio: 50 }
  probes: ["\${url}/version"]
  probe-rate: 50
  smoke:
    - { name: Feature, http: "\${url}/feature", status: 200 }
finalize:
  changelog: false
  release: false
`;
}

/** The in-flight transitions, phases included. */
function phaseRecorder(): InFlight & { events: string[] } {
  const events: string[] = [];
  return {
    events,
    opened: () => events.push('opened'),
    phase: (phase) => events.push(phase),
    closed: (outcome) => events.push(`closed:${outcome}`),
  };
}

describe('an automatic rollback is judged on the restored release', () => {
  test.each([
    { stage: 'staging', environment: 'staging', brokenPath: '/healthz', result: 'failed', phases: [] },
    { stage: 'production', environment: 'production', brokenPath: '/healthz', result: 'rolled-back', phases: ['opened', 'health-checking', 'rolling-back', 'closed:rolled-back'] },
    { stage: 'verify', environment: 'production', brokenPath: '/feature', result: 'rolled-back', phases: ['opened', 'health-checking', 'verifying', 'rolling-back', 'closed:rolled-back'] },
  ] as const)('in $stage: rolled back, healthy on ${version} = the restored version', { timeout: 20_000 }, async ({ stage, environment, brokenPath, result, phases }) => {
    await using workspace = await createDeployWorkspace();
    await using staging = await serveEnvironment(workspace, 'staging', environment === 'staging' ? brokenPath : undefined);
    await using production = await serveEnvironment(workspace, 'production', environment === 'production' ? brokenPath : undefined);
    await workspace.setCurrent('staging', '1.0.0');
    await workspace.setCurrent('production', '1.0.0');
    // The rollback command reports what it was told; it still restores by the snapshot id, as before.
    await workspace.writeScript(
      'rollback.sh',
      `printf '%s %s %s\\n' "$META_DEPLOY_VERSION" "$META_DEPLOY_PREVIOUS_VERSION" "$META_DEPLOY_SNAPSHOT_ID" >> rollback-saw.txt\nprintf '%s\\n' "$META_DEPLOY_SNAPSHOT_ID" > "envs/$META_DEPLOY_ENVIRONMENT/current"\n`,
    );
    const inFlight = phaseRecorder();

    const { deployment } = await runPipeline(workspace.dir, config(staging.url, production.url), { version: BROKEN, inFlight });

    expect(deployment.failedStage).toBe(stage);
    const rollback = deployment.stages[stage].data?.rollback;
    expect(rollback, JSON.stringify(rollback)).toMatchObject({ status: 'passed', snapshotId: '1.0.0', healthAfter: { ok: true } });
    expect(deployment.result).toBe(result);
    expect(deployment.manualRollback).toBeUndefined();
    expect(await workspace.current(environment)).toBe('1.0.0');
    expect(await readFile(join(workspace.dir, 'rollback-saw.txt'), 'utf8')).toBe('1.0.0 2.0.0 1.0.0\n');
    expect(inFlight.events).toEqual(phases);
  });
});
