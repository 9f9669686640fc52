// A CheckContext wired to the real runner, HTTP client and TCP connector, for check tests.
import type { HttpCheckConfig, RunCheckConfig, TcpCheckConfig } from '../../src/config/types.js';
import type { CheckContext } from '../../src/checks/types.js';
import { createHttpClient } from '../../src/exec/http-client.js';
import { createMasker } from '../../src/exec/mask.js';
import type { Placeholders } from '../../src/exec/placeholders.js';
import { createProcessRunner } from '../../src/exec/run-command.js';
import { tcpConnect } from '../../src/exec/tcp-connect.js';

export const placeholders: Placeholders = {
  target: 'web',
  version: '1.2.3',
  environment: 'staging',
  url: 'http://127.0.0.1:1',
  snapshot: '',
  previous_version: '1.2.2',
  sha: 'abc123',
};

export function checkContext(workspace: string, overrides: Partial<Placeholders> = {}): CheckContext {
  return {
    workspace,
    placeholders: { ...placeholders, ...overrides },
    env: {},
    runner: createProcessRunner({ mask: createMasker(['s3cr3t-token']), killGraceMs: 200 }),
    http: createHttpClient(),
    tcp: tcpConnect,
    label: 'staging/smoke',
  };
}

export const httpConfig = (url: string, extra: Partial<HttpCheckConfig> = {}): HttpCheckConfig => ({
  kind: 'http',
  name: 'Health endpoint',
  at: 'environments.staging.smoke.checks[0]',
  timeoutMs: 2000,
  url,
  status: 200,
  ...extra,
});

export const tcpConfig = (address: string, extra: Partial<TcpCheckConfig> = {}): TcpCheckConfig => ({
  kind: 'tcp',
  name: 'Database connectivity',
  at: 'environments.staging.smoke.checks[1]',
  timeoutMs: 2000,
  address,
  ...extra,
});

export const runConfig = (command: string, extra: Partial<RunCheckConfig> = {}): RunCheckConfig => ({
  kind: 'run',
  name: 'Authentication flow',
  at: 'environments.staging.smoke.checks[2]',
  timeoutMs: 5000,
  command,
  ...extra,
});
