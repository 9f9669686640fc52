import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import type { NotifyConfig } from '../../src/config/types.js';
import { createHttpClient } from '../../src/exec/http-client.js';
import { channelName, sendNotification, type NotificationMessage } from '../../src/notify/send-notification.js';

interface Received {
  method: string;
  url: string;
  contentType: string | undefined;
  body: string;
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

/** A real webhook receiver on 127.0.0.1 that answers the nth request with statuses[n-1] (the last one repeats). */
async function startReceiver(statuses: number[]): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') });
      const status = statuses[Math.min(received.length, statuses.length) - 1]!;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'nope');
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
const WEBHOOK: NotifyConfig = { kind: 'webhook', urlEnv: 'DEPLOY_WEBHOOK', at: 'finalize.notify[1]' };
const MESSAGE: NotificationMessage = {
  text: 'web 1.3.0 deployed to production ✓',
  payload: { target: 'web', version: '1.3.0', result: 'success', environments: ['staging', 'production'] },
};
const httpClient = createHttpClient();

test('slack: POSTs {text} as JSON to the URL from the named variable', async () => {
  const receiver = await startReceiver([200]);
  const result = await sendNotification(SLACK, MESSAGE, { SLACK_WEBHOOK_URL: receiver.url }, httpClient);
  expect(result).toEqual({ channel: 'slack (SLACK_WEBHOOK_URL)', status: 'passed', detail: 'sent (HTTP 200)' });
  expect(receiver.received).toHaveLength(1);
  const [request] = receiver.received;
  expect(request!.method).toBe('POST');
  expect(request!.url).toBe('/hooks/T000/B000/secret-path');
  expect(request!.contentType).toBe('application/json');
  expect(JSON.parse(request!.body)).toEqual({ text: MESSAGE.text });
});

test('webhook: POSTs the JSON payload as is', async () => {
  const receiver = await startReceiver([204]);
  const result = await sendNotification(WEBHOOK, MESSAGE, { DEPLOY_WEBHOOK: receiver.url }, httpClient);
  expect(result).toEqual({ channel: 'webhook (DEPLOY_WEBHOOK)', status: 'passed', detail: 'sent (HTTP 204)' });
  expect(receiver.received[0]!.contentType).toBe('application/json');
  expect(JSON.parse(receiver.received[0]!.body)).toEqual(MESSAGE.payload);
});

test('a missing or empty variable is a warning, and nothing is sent', async () => {
  const receiver = await startReceiver([200]);
  expect(await sendNotification(SLACK, MESSAGE, {}, httpClient)).toEqual({
    channel: 'slack (SLACK_WEBHOOK_URL)',
    status: 'warning',
    detail: 'SLACK_WEBHOOK_URL is not set; not sent',
  });
  expect(await sendNotification(WEBHOOK, MESSAGE, { DEPLOY_WEBHOOK: '' }, httpClient)).toMatchObject({ status: 'warning', detail: 'DEPLOY_WEBHOOK is not set; not sent' });
  expect(receiver.received).toHaveLength(0);
});

test('a server answering 500 twice: tried twice, then a warning with HTTP 500 that does not print the URL', async () => {
  const receiver = await startReceiver([500, 500]);
  const result = await sendNotification(WEBHOOK, MESSAGE, { DEPLOY_WEBHOOK: receiver.url }, httpClient);
  expect(result.status).toBe('warning');
  expect(result.detail).toContain('HTTP 500');
  expect(result.detail).not.toContain('secret-path');
  expect(receiver.received).toHaveLength(2);
  expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
});

test('500 then 200: the retry delivers it', async () => {
  const receiver = await startReceiver([500, 200]);
  const result = await sendNotification(SLACK, MESSAGE, { SLACK_WEBHOOK_URL: receiver.url }, httpClient);
  expect(result).toMatchObject({ status: 'passed', detail: 'sent (HTTP 200)' });
  expect(receiver.received).toHaveLength(2);
});

test('a receiver that is not listening is a warning, not an exception', async () => {
  const receiver = await startReceiver([200]);
  await receiver.close();
  receivers.splice(receivers.indexOf(receiver), 1);
  const result = await sendNotification(SLACK, MESSAGE, { SLACK_WEBHOOK_URL: receiver.url }, httpClient);
  expect(result).toMatchObject({ status: 'warning', detail: 'not delivered: connection refused' });
});

test('channel names say the kind and the variable, never the URL', () => {
  expect(channelName(SLACK)).toBe('slack (SLACK_WEBHOOK_URL)');
  expect(channelName(WEBHOOK)).toBe('webhook (DEPLOY_WEBHOOK)');
});
