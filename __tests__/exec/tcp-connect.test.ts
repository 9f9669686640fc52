import { describe, expect, it } from 'vitest';
import { tcpConnect } from '../../src/exec/tcp-connect.js';
import { closedPort, startRawServer } from '../checks/scripted-server.js';

describe('tcpConnect', () => {
  it('connects to a listening port and closes the connection', async () => {
    let closed!: Promise<void>;
    const server = await startRawServer((socket) => {
      closed = new Promise((resolve) => socket.on('close', () => resolve()));
    });
    try {
      const result = await tcpConnect('127.0.0.1', server.port, 2000);
      expect(result.ok).toBe(true);
      await closed;
    } finally {
      await server.close();
    }
  });

  it('reports a closed port as refused', async () => {
    const port = await closedPort();
    expect(await tcpConnect('127.0.0.1', port, 2000)).toMatchObject({ ok: false, error: 'connection refused' });
  });
});
