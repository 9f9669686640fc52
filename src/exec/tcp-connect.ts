// Opens a TCP connection to see that something listens, then closes it at once.
import net from 'node:net';
import type { TcpConnector } from './types.js';

export const tcpConnect: TcpConnector = (host, port, timeoutMs) => {
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const settle = (result: Awaited<ReturnType<TcpConnector>>): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => settle({ ok: false, error: `timed out after ${timeoutMs}ms`, latencyMs: elapsed() }), timeoutMs);
    socket.once('connect', () => settle({ ok: true, latencyMs: elapsed() }));
    socket.once('error', (error: Error & { code?: string }) =>
      settle({ ok: false, error: describeError(error), latencyMs: elapsed() }),
    );
  });
};

function describeError(error: Error & { code?: string }): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return error.message;
  }
}
