import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/exec/http-client.js';
import type { ScriptedServer } from '../checks/scripted-server.js';
import { closedPort, startHttpServer, startRawServer } from '../checks/scripted-server.js';

const client = createHttpClient();
const servers: ScriptedServer[] = [];
const track = (server: ScriptedServer): ScriptedServer => (servers.push(server), server);
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('createHttpClient', () => {
  it('returns the status, body and latency of a response', async () => {
    const server = track(await startHttpServer((_req, res) => res.end('ok then')));
    const response = await client({ url: `${server.url}/healthz`, timeoutMs: 2000 });
    expect(response).toMatchObject({ status: 200, body: 'ok then' });
    expect('latencyMs' in response && response.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('returns an error status as a response, not an error', async () => {
    const server = track(await startHttpServer((_req, res) => {
      res.statusCode = 503;
      res.end('down');
    }));
    expect(await client({ url: server.url, timeoutMs: 2000 })).toMatchObject({ status: 503, body: 'down' });
  });

  it('sends the method, headers and body', async () => {
    const server = track(await startHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => res.end(`${req.method} ${req.headers['x-token']} ${body}`));
    }));
    const response = await client({ url: server.url, method: 'POST', headers: { 'x-token': 't1' }, body: '{"a":1}', timeoutMs: 2000 });
    expect(response).toMatchObject({ status: 200, body: 'POST t1 {"a":1}' });
  });

  it('gives up on a server that never answers, with the limit in the reason', async () => {
    const server = track(await startHttpServer(() => {}));
    const response = await client({ url: server.url, timeoutMs: 200 });
    expect(response).toMatchObject({ error: 'timed out after 200ms' });
  });

  it('reports a server that sends something other than HTTP', async () => {
    const server = track(await startRawServer((socket) => socket.end('SSH-2.0-OpenSSH_9.6\r\n\r\n')));
    const response = await client({ url: server.url, timeoutMs: 2000 });
    expect(response).toMatchObject({ error: 'invalid HTTP response' });
  });

  it('reports a refused connection', async () => {
    const port = await closedPort();
    expect(await client({ url: `http://127.0.0.1:${port}/`, timeoutMs: 2000 })).toMatchObject({ error: 'connection refused' });
  });

  it('reports a bad URL without throwing', async () => {
    expect(await client({ url: 'not a url', timeoutMs: 100 })).toEqual({ error: 'invalid URL: not a url', latencyMs: 0 });
    expect(await client({ url: 'ftp://x/', timeoutMs: 100 })).toMatchObject({ error: 'unsupported protocol ftp: in ftp://x/' });
  });

  it('reads at most 1 MiB of a body', async () => {
    const server = track(await startHttpServer((_req, res) => {
      res.write('a'.repeat(1024 * 1024));
      res.end('b'.repeat(1024 * 1024));
    }));
    const response = await client({ url: server.url, timeoutMs: 5000 });
    expect('body' in response && response.body).toBe('a'.repeat(1024 * 1024));
  });

  it('closes its connection after each request', async () => {
    let closed!: Promise<void>;
    const server = track(await startHttpServer((req, res) => {
      closed = new Promise((resolve) => req.socket.on('close', () => resolve()));
      res.end('ok');
    }));
    await client({ url: server.url, timeoutMs: 2000 });
    await closed;
  });
});
