import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { httpCheck } from '../../src/checks/http.js';
import { checkContext, httpConfig } from './check-context.js';
import type { ScriptedServer } from './scripted-server.js';
import { closedPort, startHttpServer, startRawServer } from './scripted-server.js';

const servers: ScriptedServer[] = [];
const track = (server: ScriptedServer): ScriptedServer => (servers.push(server), server);
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
const context = (url: string) => checkContext(os.tmpdir(), { url });

describe('httpCheck', () => {
  it('passes a healthy endpoint, expanding ${url} in the address', async () => {
    const paths: string[] = [];
    const server = track(await startHttpServer((req, res) => {
      paths.push(req.url ?? '');
      res.end('status: ok');
    }));
    const outcome = await httpCheck(httpConfig('${url}/healthz', { contains: 'ok' }), context(server.url));
    expect(outcome.ok).toBe(true);
    expect(outcome.detail).toMatch(/^HTTP 200 in \d+ms$/);
    expect(paths).toEqual(['/healthz']);
  });

  it('fails on an unexpected status and says what was expected', async () => {
    const server = track(await startHttpServer((_req, res) => {
      res.statusCode = 500;
      res.end('ok');
    }));
    expect(await httpCheck(httpConfig(server.url), context(server.url))).toMatchObject({
      ok: false,
      detail: 'HTTP 500 (expected 200)',
      expected: 'HTTP 200',
      got: 'HTTP 500',
    });
  });

  it('accepts the configured status even when it is not 200', async () => {
    const server = track(await startHttpServer((_req, res) => {
      res.statusCode = 204;
      res.end();
    }));
    expect((await httpCheck(httpConfig(server.url, { status: 204 }), context(server.url))).ok).toBe(true);
  });

  it('fails when the body lacks the expected text, quoting what it got', async () => {
    const server = track(await startHttpServer((_req, res) => res.end('{"status":\n "degraded"}')));
    expect(await httpCheck(httpConfig(server.url, { contains: 'ok' }), context(server.url))).toMatchObject({
      ok: false,
      detail: 'body does not contain "ok"',
      expected: 'body contains "ok"',
      got: 'body "{\\"status\\": \\"degraded\\"}"',
    });
  });

  it('fills placeholders in the expected text', async () => {
    const server = track(await startHttpServer((_req, res) => res.end('version 1.2.3')));
    expect((await httpCheck(httpConfig(server.url, { contains: 'version ${version}' }), context(server.url))).ok).toBe(true);
    expect(await httpCheck(httpConfig(server.url, { contains: '${previous_version}' }), context(server.url))).toMatchObject({
      ok: false,
      expected: 'body contains "1.2.2"',
    });
  });

  it('fails a response slower than max-latency', async () => {
    const server = track(await startHttpServer((_req, res) => setTimeout(() => res.end('ok'), 150)));
    const outcome = await httpCheck(httpConfig(server.url, { maxLatencyMs: 50 }), context(server.url));
    expect(outcome.ok).toBe(false);
    expect(outcome.detail).toMatch(/^latency \d+ms > 50ms$/);
    expect(outcome.expected).toBe('latency ≤ 50ms');
  });

  it('fails a server that hangs, after the attempt timeout', async () => {
    const server = track(await startHttpServer(() => {}));
    expect(await httpCheck(httpConfig(server.url, { timeoutMs: 200 }), context(server.url))).toMatchObject({
      ok: false,
      detail: 'timed out after 200ms',
      got: 'timed out after 200ms',
    });
  });

  it('fails a server that answers with something other than HTTP', async () => {
    const server = track(await startRawServer((socket) => socket.end('\x00\x01garbage\r\n\r\n')));
    expect(await httpCheck(httpConfig(server.url), context(server.url))).toMatchObject({
      ok: false,
      detail: 'invalid HTTP response',
    });
  });

  it('fails when nothing listens', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    expect(await httpCheck(httpConfig('${url}/healthz'), context(url))).toMatchObject({
      ok: false,
      detail: 'connection refused',
      expected: 'HTTP 200',
    });
  });
});
