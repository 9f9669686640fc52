// HTTP for checks, probes and notifications: node:http(s) with a fresh connection per request (no keep-alive pool
// to leak sockets or reuse a half-dead one), one deadline for the whole exchange, and failures as values.
import http from 'node:http';
import https from 'node:https';
import type { HttpClient, HttpRequest, HttpResponse } from './types.js';

/** Bodies are read up to this size; checks only look for a short marker in them. */
const MAX_BODY_BYTES = 1024 * 1024;

export function createHttpClient(): HttpClient {
  return request;
}

function request(spec: HttpRequest): Promise<HttpResponse | { error: string; latencyMs: number }> {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);

  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    return Promise.resolve({ error: `invalid URL: ${spec.url}`, latencyMs: 0 });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.resolve({ error: `unsupported protocol ${url.protocol} in ${spec.url}`, latencyMs: 0 });
  }

  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: HttpResponse | { error: string; latencyMs: number }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const headers: Record<string, string> = { 'user-agent': 'meta-deploy', connection: 'close', ...spec.headers };
    if (spec.body !== undefined) headers['content-length'] = String(Buffer.byteLength(spec.body));

    const transport = url.protocol === 'https:' ? https : http;
    const req = transport.request(url, { method: spec.method ?? 'GET', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (): void =>
        settle({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), latencyMs: elapsed(), headers: headersOf(res) });
      res.on('data', (chunk: Buffer) => {
        const room = MAX_BODY_BYTES - size;
        chunks.push(room < chunk.length ? chunk.subarray(0, room) : chunk);
        size += Math.min(room, chunk.length);
        if (size >= MAX_BODY_BYTES) done();
      });
      res.on('end', done);
      res.on('error', (error) => settle({ error: describeError(error), latencyMs: elapsed() }));
    });
    const timer = setTimeout(
      () => settle({ error: `timed out after ${spec.timeoutMs}ms`, latencyMs: elapsed() }),
      spec.timeoutMs,
    );
    req.on('error', (error) => settle({ error: describeError(error), latencyMs: elapsed() }));
    req.end(spec.body);
  });
}

function headersOf(res: http.IncomingMessage): Record<string, string> {
  return Object.fromEntries(Object.entries(res.headers).flatMap(([name, value]) => (value === undefined ? [] : [[name, [value].flat().join(', ')]])));
}

function describeError(error: Error & { code?: string }): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host not found (${error.message.replace(/^getaddrinfo \w+ /, '')})`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      if (error.code?.startsWith('HPE_')) return 'invalid HTTP response';
      return error.message;
  }
}
