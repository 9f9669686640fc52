// `tcp:` check: something accepts connections on host:port.
import type { TcpCheckConfig } from '../config/types.js';
import { expandText } from '../exec/placeholders.js';
import type { Check } from './types.js';

export const tcpCheck: Check<TcpCheckConfig> = async (config, context) => {
  const address = expandText(config.address, context.placeholders);
  const target = parseAddress(address);
  if (target === undefined) {
    const detail = `invalid address ${JSON.stringify(address)} (expected host:port)`;
    return { ok: false, answered: false, detail, expected: 'host:port', got: address, latencyMs: 0 };
  }
  const expected = `connection to ${address}`;
  const result = await context.tcp(target.host, target.port, config.timeoutMs);
  return result.ok
    ? { ok: true, answered: true, detail: `connected to ${address} in ${result.latencyMs}ms`, latencyMs: result.latencyMs }
    : { ok: false, answered: false, detail: `${result.error} (${address})`, expected, got: result.error, latencyMs: result.latencyMs };
};

/** `host:port`, `[::1]:port`, optionally written as `tcp://host:port`. */
export function parseAddress(address: string): { host: string; port: number } | undefined {
  const match = /^(?:tcp:\/\/)?(?:\[([^\]]+)\]|([^:/\s]+)):(\d{1,5})$/.exec(address.trim());
  if (match === null) return undefined;
  const port = Number(match[3]);
  const host = match[1] ?? match[2];
  if (host === undefined || port < 1 || port > 65535) return undefined;
  return { host, port };
}
