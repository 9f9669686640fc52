import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseAddress, tcpCheck } from '../../src/checks/tcp.js';
import { checkContext, tcpConfig } from './check-context.js';
import { closedPort, startRawServer } from './scripted-server.js';

describe('tcpCheck', () => {
  it('passes when the port accepts connections, expanding placeholders in the address', async () => {
    const server = await startRawServer(() => {});
    try {
      const outcome = await tcpCheck(tcpConfig(`\${environment}:${server.port}`), checkContext(os.tmpdir(), { environment: '127.0.0.1' }));
      expect(outcome.ok).toBe(true);
      expect(outcome.detail).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${server.port} in \\d+ms$`));
    } finally {
      await server.close();
    }
  });

  it('fails when the port is closed', async () => {
    const port = await closedPort();
    expect(await tcpCheck(tcpConfig(`127.0.0.1:${port}`), checkContext(os.tmpdir()))).toMatchObject({
      ok: false,
      detail: `connection refused (127.0.0.1:${port})`,
      expected: `connection to 127.0.0.1:${port}`,
      got: 'connection refused',
    });
  });

  it('fails an address without a port instead of guessing one', async () => {
    expect(await tcpCheck(tcpConfig('db.internal'), checkContext(os.tmpdir()))).toMatchObject({
      ok: false,
      detail: 'invalid address "db.internal" (expected host:port)',
    });
  });
});

describe('parseAddress', () => {
  it.each([
    ['db.staging:5432', { host: 'db.staging', port: 5432 }],
    ['tcp://db.internal:5432', { host: 'db.internal', port: 5432 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    ['db:0', undefined],
    ['db:70000', undefined],
    ['db', undefined],
    ['http://db:80', undefined],
    [':80', undefined],
  ])('%s', (address, expected) => {
    expect(parseAddress(address)).toEqual(expected);
  });
});
