import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import type { NotifyConfig } from '../../src/config/types.js';
import { createHttpClient } from '../../src/exec/http-client.js';
import { notificationEvent } from '../../src/notify/notification.js';
import { channelName, sendNotification, sendNotifications, webhookVariable, type NotifyDeps } from '../../src/notify/send-notification.js';
import { toJsonReport } from '../../src/report/json-report.js';
import { recorded } from '../fixtures/deployments/scenarios.js';
import { slackProblems, teamsProblems } from './message-shapes.js';

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
}

interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

const receivers: Receiver[] = [];
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});

/** A real webhook receiver on 127.0.0.1 that answers the nth request with answers[n-1] (the last one repeats). */
async function startReceiver(answers: Answer[]): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers[Math.min(received.length, answers.length) - 1]!;
      response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end(answer.body ?? (answer.status < 300 ? 'ok' : 'nope'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks/T000/B000/secret-path`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  receivers.push(receiver);
  return receiver;
}

const SLACK: NotifyConfig = { kind: 'slack', webhookEnv: 'SLACK_WEBHOOK_URL', at: 'finalize.notify[0]' };
const TEAMS: NotifyConfig = { kind: 'teams', webhookEnv: 'TEAMS_WEBHOOK_URL', at: 'finalize.notify[1]' };
const WEBHOOK: NotifyConfig = { kind: 'webhook', urlEnv: 'DEPLOY_WEBHOOK', at: 'finalize.notify[2]' };
const RUN_ENV = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/web', GITHUB_RUN_ID: '42' };
const FINISHED = notificationEvent('finished', recorded('success'), { env: RUN_ENV, mask: (text) => text, now: Date.now() });
const ALERT = notificationEvent('alert', recorded('production-health-rollback'), { env: RUN_ENV, mask: (text) => text, now: Date.now() });

/** Real HTTP, and the waits between attempts recorded instead of slept. */
function deps(env: Record<string, string>, waits: number[] = []): NotifyDeps {
  return { env, http: createHttpClient(), sleep: async (ms) => void waits.push(ms) };
}

test('slack: POSTs a Block Kit message within Slack limits, with the fallback text, to the URL from the named variable', async () => {
  const receiver = await startReceiver([{ status: 200 }]);
  const result = await sendNotification(SLACK, ALERT, deps({ SLACK_WEBHOOK_URL: receiver.url }));
  expect(result).toEqual({ channel: 'slack (SLACK_WEBHOOK_URL)', status: 'passed', detail: 'sent (HTTP 200)' });
  const [request] = receiver.received;
  expect(request).toMatchObject({ method: 'POST', url: '/hooks/T000/B000/secret-path', contentType: 'application/json' });
  const payload = JSON.parse(request!.body);
  expect(slackProblems(payload)).toEqual([]);
  expect(payload.text).toMatch(/^ALERT: meta-deploy web 1\.1\.0 ROLLED BACK at Production: /);
  expect(JSON.stringify(payload.blocks)).toContain('<https://github.com/acme/web/actions/runs/42|View the run>');
});

test('teams: POSTs a Workflows message with one Adaptive Card attachment', async () => {
  const receiver = await startReceiver([{ status: 202 }]);
  const result = await sendNotification(TEAMS, FINISHED, deps({ TEAMS_WEBHOOK_URL: receiver.url }));
  expect(result).toEqual({ channel: 'teams (TEAMS_WEBHOOK_URL)', status: 'passed', detail: 'sent (HTTP 202)' });
  const payload = JSON.parse(receiver.received[0]!.body);
  expect(teamsProblems(payload)).toEqual([]);
  expect(payload.attachments[0].content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'View the run', url: 'https://github.com/acme/web/actions/runs/42' }]);
});

test('webhook: POSTs the event, its text, the run link and the whole JSON report', async () => {
  const receiver = await startReceiver([{ status: 204 }]);
  const result = await sendNotification(WEBHOOK, ALERT, deps({ DEPLOY_WEBHOOK: receiver.url }));
  expect(result).toEqual({ channel: 'webhook (DEPLOY_WEBHOOK)', status: 'passed', detail: 'sent (HTTP 204)' });
  const payload = JSON.parse(receiver.received[0]!.body);
  expect(payload.event).toBe('alert');
  expect(payload.runUrl).toBe('https://github.com/acme/web/actions/runs/42');
  expect(payload.report).toEqual(JSON.parse(JSON.stringify(toJsonReport(ALERT.deployment))));
  expect(payload.report).toMatchObject({ schemaVersion: 1, result: 'rolled-back', failedStage: 'production' });
});

test('every channel at once, each outcome in config order', async () => {
  const [slack, teams, hook] = await Promise.all([startReceiver([{ status: 200 }]), startReceiver([{ status: 200 }]), startReceiver([{ status: 400 }])]);
  const env = { SLACK_WEBHOOK_URL: slack.url, TEAMS_WEBHOOK_URL: teams.url, DEPLOY_WEBHOOK: hook.url };
  const results = await sendNotifications([SLACK, TEAMS, WEBHOOK], FINISHED, deps(env));
  expect(results.map((r) => [r.channel, r.status])).toEqual([
    ['slack (SLACK_WEBHOOK_URL)', 'passed'],
    ['teams (TEAMS_WEBHOOK_URL)', 'passed'],
    ['webhook (DEPLOY_WEBHOOK)', 'warning'],
  ]);
});

test('a missing or empty variable is a warning, and nothing is sent', async () => {
  const receiver = await startReceiver([{ status: 200 }]);
  expect(await sendNotification(SLACK, FINISHED, deps({}))).toEqual({
    channel: 'slack (SLACK_WEBHOOK_URL)',
    status: 'warning',
    detail: 'SLACK_WEBHOOK_URL is not set; not sent',
  });
  expect(await sendNotification(WEBHOOK, FINISHED, deps({ DEPLOY_WEBHOOK: '' }))).toMatchObject({ status: 'warning', detail: 'DEPLOY_WEBHOOK is not set; not sent' });
  expect(receiver.received).toHaveLength(0);
});

test('a receiver down for 2 attempts then up is delivered, after waiting 1s then 2s', async () => {
  const receiver = await startReceiver([{ status: 503 }, { status: 500 }, { status: 200 }]);
  const waits: number[] = [];
  const result = await sendNotification(SLACK, FINISHED, deps({ SLACK_WEBHOOK_URL: receiver.url }, waits));
  expect(result).toMatchObject({ status: 'passed', detail: 'sent (HTTP 200) on attempt 3' });
  expect(receiver.received).toHaveLength(3);
  expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
  expect(waits).toEqual([1000, 2000]);
});

test('one that stays down is a warning with its reason after 3 attempts, and the reason never shows the URL', async () => {
  // A receiver that echoes the URL it was called on must not leak it through the reason.
  const receiver = await startReceiver([{ status: 500, body: 'internal error at /hooks/T000/B000/secret-path' }]);
  const waits: number[] = [];
  const result = await sendNotification(TEAMS, ALERT, deps({ TEAMS_WEBHOOK_URL: receiver.url }, waits));
  expect(result.status).toBe('warning');
  expect(result.detail).toMatch(/^not delivered after 3 attempts: HTTP 500: internal error at /);
  expect(receiver.received).toHaveLength(3);
  expect(waits).toEqual([1000, 2000]);
  expect(result.detail).toContain('internal error at the webhook URL');
  // With a query string, the echoed path alone is still recognised and hidden.
  const withQuery = await sendNotification(TEAMS, ALERT, deps({ TEAMS_WEBHOOK_URL: `${receiver.url}?sig=abc` }));
  for (const detail of [result.detail, withQuery.detail]) expect(detail).not.toContain('secret-path');
});

test('a 429 with Retry-After is retried after the time it asks for', async () => {
  const receiver = await startReceiver([{ status: 429, headers: { 'retry-after': '7' }, body: 'rate_limited' }, { status: 200 }]);
  const waits: number[] = [];
  const result = await sendNotification(SLACK, FINISHED, deps({ SLACK_WEBHOOK_URL: receiver.url }, waits));
  expect(result).toMatchObject({ status: 'passed', detail: 'sent (HTTP 200) on attempt 2' });
  expect(waits).toEqual([7000]);
});

test('a Retry-After longer than the run waits gives up at once with the reason', async () => {
  const receiver = await startReceiver([{ status: 429, headers: { 'retry-after': '3600' }, body: 'rate_limited' }]);
  const waits: number[] = [];
  const result = await sendNotification(SLACK, FINISHED, deps({ SLACK_WEBHOOK_URL: receiver.url }, waits));
  expect(result).toMatchObject({ status: 'warning', detail: 'not delivered: HTTP 429: rate_limited; asked to retry after 3600s, longer than this run waits' });
  expect(receiver.received).toHaveLength(1);
  expect(waits).toEqual([]);
});

test('a message the receiver refuses (400) is not retried, and its answer is the reason', async () => {
  const receiver = await startReceiver([{ status: 400, body: 'invalid_blocks' }]);
  const result = await sendNotification(SLACK, FINISHED, deps({ SLACK_WEBHOOK_URL: receiver.url }));
  expect(result).toMatchObject({ status: 'warning', detail: 'not delivered: HTTP 400: invalid_blocks (not retried: the receiver refused the message)' });
  expect(receiver.received).toHaveLength(1);
});

test('a receiver that is not listening is a warning after its retries, not an exception', async () => {
  const receiver = await startReceiver([{ status: 200 }]);
  await receiver.close();
  receivers.splice(receivers.indexOf(receiver), 1);
  const result = await sendNotification(SLACK, FINISHED, deps({ SLACK_WEBHOOK_URL: receiver.url }));
  expect(result).toMatchObject({ status: 'warning', detail: 'not delivered after 3 attempts: connection refused' });
});

test('channel names say the kind and the variable, never the URL', () => {
  expect([SLACK, TEAMS, WEBHOOK].map(channelName)).toEqual(['slack (SLACK_WEBHOOK_URL)', 'teams (TEAMS_WEBHOOK_URL)', 'webhook (DEPLOY_WEBHOOK)']);
  expect([SLACK, TEAMS, WEBHOOK].map(webhookVariable)).toEqual(['SLACK_WEBHOOK_URL', 'TEAMS_WEBHOOK_URL', 'DEPLOY_WEBHOOK']);
});
