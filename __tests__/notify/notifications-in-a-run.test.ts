// The engine's two notifications through real runs: finalize's message of a healthy deployment and the ALERT of a
// rolled-back one, to receivers on loopback, with the webhook URLs collected as secrets the way the entry points do.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { secretsOf } from '../../src/engine/secrets.js';
import { renderJsonReport } from '../../src/report/json-report.js';
import { renderSummary } from '../../src/report/summary.js';
import { createDeployWorkspace, pipelineConfig, type DeployWorkspace } from '../engine/deploy-workspace.js';
import { startLoopbackServer, type LoopbackServer } from '../engine/loopback-server.js';
import { runPipeline } from '../engine/run-pipeline.js';
import { slackProblems, teamsProblems } from './message-shapes.js';

interface Receiver extends LoopbackServer {
  bodies: string[];
}

/** Answers `status`; a failing one echoes the path it was called on, as a careless receiver might. */
async function startReceiver(status: number): Promise<Receiver> {
  const bodies: string[] = [];
  const server = await startLoopbackServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : `no route for ${request.url}`);
    });
  });
  return Object.assign(server, { url: `${server.url}/hooks/T0/B0/very-secret-token`, bodies });
}

function startProduction(workspace: DeployWorkspace, healthy: (version: string | undefined) => boolean): Promise<LoopbackServer> {
  return startLoopbackServer((request, response) => {
    void workspace.current('production').then((version) => {
      const ok = request.url === '/healthz' ? healthy(version) : true;
      response.writeHead(ok ? 200 : 500).end(ok ? `ok ${version}` : `broken ${version}`);
    });
  });
}

const NOTIFY = '  changelog: false\n  release: false\n  notify:\n    - { slack: { webhook-env: SLACK_URL } }\n    - { teams: { webhook-env: TEAMS_URL } }\n    - { webhook: { url-env: HOOK_URL } }';

async function run(healthy: boolean) {
  const workspace = await createDeployWorkspace();
  const production = await startProduction(workspace, (version) => healthy || version !== '2.0.0');
  await workspace.setCurrent('production', '1.0.0');
  const [slack, teams, hook] = await Promise.all([startReceiver(200), startReceiver(200), startReceiver(500)]);
  const env = { SLACK_URL: slack.url, TEAMS_URL: teams.url, HOOK_URL: hook.url };
  const yaml = pipelineConfig({ productionUrl: production.url, finalize: NOTIFY });
  const loaded = parseConfig(yaml, join(workspace.dir, 'meta-deploy.yml'));
  if (!loaded.ok) throw new Error('config');
  // The masker the entry points build: every notify URL must be among its secrets.
  const secrets = secretsOf(loaded.config.targets['default']!, env);
  expect(secrets).toEqual(expect.arrayContaining(Object.values(env)));
  const result = await runPipeline(workspace.dir, yaml, { version: '2.0.0', env, secrets });
  const records = await readFile(join(workspace.dir, '.meta-deploy', 'records.jsonl'), 'utf8');
  const cleanup = async () => {
    for (const server of [slack, teams, hook, production]) await server[Symbol.asyncDispose]();
    await workspace[Symbol.asyncDispose]();
  };
  return { ...result, slack, teams, hook, urls: Object.values(env), records, cleanup };
}

test('a healthy run notifies every channel from finalize; a dead one is a warning; no URL is in any captured byte', async () => {
  const r = await run(true);
  try {
    expect(r.deployment.result).toBe('success');
    expect(r.deployment.stages.finalize.data?.notifications.map((n) => [n.channel, n.status])).toEqual([
      ['slack (SLACK_URL)', 'passed'],
      ['teams (TEAMS_URL)', 'passed'],
      ['webhook (HOOK_URL)', 'warning'],
    ]);
    expect(r.deployment.stages.finalize.data?.notifications[2]?.detail).toBe("not delivered after 3 attempts: HTTP 500: no route for the webhook URL");
    expect(r.deployment.stages.finalize.status).toBe('warning');
    expect(slackProblems(JSON.parse(r.slack.bodies[0]!))).toEqual([]);
    expect(teamsProblems(JSON.parse(r.teams.bodies[0]!))).toEqual([]);
    expect(r.hook.bodies).toHaveLength(3);
    expect(JSON.parse(r.hook.bodies[0]!)).toMatchObject({ event: 'finished', report: { target: 'default', version: '2.0.0' } });
    const captured = [...r.observer.strings(), renderSummary(r.deployment), renderJsonReport(r.deployment), r.records, ...r.slack.bodies, ...r.teams.bodies, ...r.hook.bodies].join('\n');
    for (const url of r.urls) expect(captured).not.toContain(url);
    expect(captured).not.toContain('very-secret-token');
  } finally {
    await r.cleanup();
  }
}, 30_000);

test('a rolled-back run sends the ALERT to every channel, each outcome a notice', async () => {
  const r = await run(false);
  try {
    expect(r.deployment.result).toBe('rolled-back');
    expect(r.deployment.notices).toEqual(
      expect.arrayContaining([
        'Alert to slack (SLACK_URL): sent (HTTP 200)',
        'Alert to teams (TEAMS_URL): sent (HTTP 200)',
        expect.stringMatching(/^Alert to webhook \(HOOK_URL\): not delivered after 3 attempts: HTTP 500/),
      ]),
    );
    const slack = JSON.parse(r.slack.bodies[0]!);
    expect(slackProblems(slack)).toEqual([]);
    expect(slack.text).toMatch(/^ALERT: meta-deploy default 2\.0\.0 ROLLED BACK at Production: /);
    expect(teamsProblems(JSON.parse(r.teams.bodies[0]!))).toEqual([]);
    expect(JSON.parse(r.hook.bodies[0]!)).toMatchObject({ event: 'alert', report: { result: 'rolled-back', failedStage: 'production' } });
    const captured = [...r.observer.strings(), renderSummary(r.deployment), renderJsonReport(r.deployment), r.records, ...r.slack.bodies, ...r.teams.bodies, ...r.hook.bodies].join('\n');
    expect(captured).not.toContain('very-secret-token');
  } finally {
    await r.cleanup();
  }
}, 30_000);
