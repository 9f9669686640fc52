import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CommandRequirement, PrerequisitesConfig } from '../../src/config/types.js';
import { formatSize } from '../../src/config/units.js';
import type { PrerequisiteRecord } from '../../src/engine/model.js';
import { createHttpClient } from '../../src/exec/http-client.js';
import { tcpConnect } from '../../src/exec/tcp-connect.js';
import { checkPrerequisites, type PrerequisiteIo } from '../../src/prerequisites/check-prerequisites.js';

let workspace: string;
let httpServer: http.Server;
let httpUrl: string;
let tcpServer: net.Server;
let tcpPort: number;
let closedPort: number;

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}
function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

beforeAll(async () => {
  workspace = await mkdtemp(join(tmpdir(), 'meta-deploy-prereq-'));
  await mkdir(join(workspace, 'deploy'));
  await writeFile(join(workspace, 'deploy', 'production.env'), 'X=1\n');
  // Answers 404 to everything: reachable, though not healthy.
  httpServer = http.createServer((_request, response) => response.writeHead(404).end('not found'));
  httpUrl = `http://127.0.0.1:${await listen(httpServer)}`;
  tcpServer = net.createServer((socket) => socket.end());
  tcpPort = await listen(tcpServer);
  const released = net.createServer();
  closedPort = await listen(released);
  await close(released);
});
afterAll(async () => {
  httpServer.closeAllConnections();
  await close(httpServer);
  await close(tcpServer);
  await rm(workspace, { recursive: true, force: true });
});

function io(env: NodeJS.ProcessEnv = { PATH: process.env.PATH }): PrerequisiteIo {
  return { workspace, env, http: createHttpClient(), tcp: tcpConnect, formatSize };
}
function config(overrides: Partial<PrerequisitesConfig>): PrerequisitesConfig {
  return { env: [], commands: [], files: [], reachable: [], ...overrides };
}
function command(raw: string): CommandRequirement {
  const [name, range] = raw.split(' ', 2) as [string, string | undefined];
  return range === undefined ? { name, raw } : { name, range, raw };
}
const statuses = (records: PrerequisiteRecord[]) => records.map((record) => [record.subject, record.status]);

test('nothing configured: nothing to check', async () => {
  expect(await checkPrerequisites(config({}), io())).toEqual([]);
});

describe('credentials', () => {
  test('a set variable passes; an empty or missing one fails; values are never printed', async () => {
    const env = { PATH: process.env.PATH, DEPLOY_TOKEN: 'hunter2-value', EMPTY_TOKEN: '' };
    const records = await checkPrerequisites(config({ env: ['DEPLOY_TOKEN', 'EMPTY_TOKEN', 'MISSING_TOKEN'] }), io(env));
    expect(records).toEqual([
      { kind: 'credentials', subject: 'DEPLOY_TOKEN', status: 'passed', detail: 'set' },
      { kind: 'credentials', subject: 'EMPTY_TOKEN', status: 'failed', detail: 'not set or empty' },
      { kind: 'credentials', subject: 'MISSING_TOKEN', status: 'failed', detail: 'not set or empty' },
    ]);
    expect(JSON.stringify(records)).not.toContain('hunter2');
  });
});

describe('dependencies', () => {
  test('`node >=20` is satisfied by the node on PATH, `node >=999` is not', async () => {
    const records = await checkPrerequisites(config({ commands: [command('node >=20'), command('node >=999')] }), io());
    expect(statuses(records)).toEqual([
      ['node >=20', 'passed'],
      ['node >=999', 'failed'],
    ]);
    expect(records.every((record) => record.kind === 'dependencies')).toBe(true);
    expect(records[0]!.detail).toMatch(/node \d+\.\d+\.\d+ satisfies >=20$/);
    expect(records[1]!.detail).toMatch(/does not satisfy >=999$/);
  });

  test('a command without a range only has to be on PATH', async () => {
    const [record] = await checkPrerequisites(config({ commands: [command('git')] }), io());
    expect(record).toMatchObject({ subject: 'git', status: 'passed' });
    expect(record!.detail).toMatch(/^found at \/.*git$/);
  });

  test('a missing command fails, saying it is not on PATH', async () => {
    const [record] = await checkPrerequisites(config({ commands: [command('meta-deploy-no-such-tool-7f3a')] }), io());
    expect(record).toEqual({ kind: 'dependencies', subject: 'meta-deploy-no-such-tool-7f3a', status: 'failed', detail: 'meta-deploy-no-such-tool-7f3a not found on PATH' });
  });

  test('commands are looked up on the PATH the run was given', async () => {
    const [record] = await checkPrerequisites(config({ commands: [command('node')] }), io({ PATH: join(workspace, 'empty-bin') }));
    expect(record).toMatchObject({ status: 'failed', detail: 'node not found on PATH' });
  });
});

describe('config files', () => {
  test('a present file passes and a missing one fails, relative to the workspace', async () => {
    const records = await checkPrerequisites(config({ files: ['deploy/production.env', 'deploy/staging.env'] }), io());
    expect(records).toEqual([
      { kind: 'config', subject: 'deploy/production.env', status: 'passed', detail: 'present' },
      { kind: 'config', subject: 'deploy/staging.env', status: 'failed', detail: 'missing' },
    ]);
  });
});

describe('resources', () => {
  test('a tiny disk requirement passes, showing the free space', async () => {
    const [record] = await checkPrerequisites(config({ diskBytes: 1024 }), io());
    expect(record).toMatchObject({ kind: 'resources', subject: 'disk ≥ 1 KiB', status: 'passed' });
    expect(record!.detail).toMatch(/^\d+(\.\d)? (B|KiB|MiB|GiB|TiB) free$/);
  });

  test('an absurdly large disk requirement fails', async () => {
    const [record] = await checkPrerequisites(config({ diskBytes: 2 ** 60 }), io());
    expect(record).toMatchObject({ kind: 'resources', subject: `disk ≥ ${formatSize(2 ** 60)}`, status: 'failed' });
    expect(record!.detail).toMatch(/ free$/);
  });
});

describe('reachability', () => {
  test('an HTTP endpoint on loopback is reachable, even when it answers 404', async () => {
    const [record] = await checkPrerequisites(config({ reachable: [`${httpUrl}/healthz`] }), io());
    expect(record).toMatchObject({ kind: 'reachability', subject: `${httpUrl}/healthz`, status: 'passed' });
    expect(record!.detail).toMatch(/^HTTP 404 in \d+ms$/);
  });

  test('an HTTP endpoint on a closed port is not reachable', async () => {
    const url = `http://127.0.0.1:${closedPort}/healthz`;
    const [record] = await checkPrerequisites(config({ reachable: [url] }), io());
    expect(record).toEqual({ kind: 'reachability', subject: url, status: 'failed', detail: 'connection refused' });
  });

  test('tcp:// to a listening port connects; to a closed port it fails', async () => {
    const open = `tcp://127.0.0.1:${tcpPort}`;
    const closed = `tcp://127.0.0.1:${closedPort}`;
    const records = await checkPrerequisites(config({ reachable: [open, closed] }), io());
    expect(records[0]).toMatchObject({ kind: 'reachability', subject: open, status: 'passed' });
    expect(records[0]!.detail).toMatch(/^connected in \d+ms$/);
    expect(records[1]).toEqual({ kind: 'reachability', subject: closed, status: 'failed', detail: 'connection refused' });
  });
});

test('all kinds together: one row each, in config order (credentials, dependencies, config, resources, reachability)', async () => {
  const records = await checkPrerequisites(
    config({
      env: ['DEPLOY_TOKEN'],
      commands: [command('node >=20')],
      files: ['deploy/production.env'],
      diskBytes: 1,
      reachable: [`tcp://127.0.0.1:${closedPort}`, httpUrl],
    }),
    io({ PATH: process.env.PATH, DEPLOY_TOKEN: 'x' }),
  );
  expect(records.map((record) => [record.kind, record.status])).toEqual([
    ['credentials', 'passed'],
    ['dependencies', 'passed'],
    ['config', 'passed'],
    ['resources', 'passed'],
    ['reachability', 'failed'],
    ['reachability', 'passed'],
  ]);
});

// BUG (src/prerequisites/check-prerequisites.ts checkReachable): `tcp://[::1]:port` (the standard way to write an IPv6
// address with a port) passes the host with its brackets to the connector, which reports "host not found".
test('tcp:// to a listening IPv6 loopback port written as [::1] connects', async () => {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
  try {
    const target = `tcp://[::1]:${(server.address() as AddressInfo).port}`;
    const [record] = await checkPrerequisites(config({ reachable: [target] }), io());
    expect(record).toMatchObject({ subject: target, status: 'passed' });
  } finally {
    await close(server);
  }
});
