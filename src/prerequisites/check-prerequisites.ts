// Prerequisites of SPEC §3: credentials set, commands on PATH (with versions), config files present, free disk,
// endpoints reachable. Each item becomes one row of the checklist; values of credentials are never read into a message.
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PrerequisitesConfig } from '../config/types.js';
import { parseAddress } from '../checks/tcp.js';
import { freeDiskBytes } from '../exec/disk-space.js';
import { findCommand } from '../exec/find-command.js';
import type { HttpClient, TcpConnector } from '../exec/types.js';
import type { PrerequisiteRecord } from '../engine/model.js';

export interface PrerequisiteIo {
  workspace: string;
  env: NodeJS.ProcessEnv;
  http: HttpClient;
  tcp: TcpConnector;
  formatSize: (bytes: number) => string;
}

const REACH_TIMEOUT_MS = 5_000;

function row(kind: PrerequisiteRecord['kind'], subject: string, ok: boolean, detail: string): PrerequisiteRecord {
  return { kind, subject, status: ok ? 'passed' : 'failed', detail };
}

async function checkReachable(target: string, io: PrerequisiteIo): Promise<PrerequisiteRecord> {
  const tcp = target.startsWith('tcp://') ? parseAddress(target) : undefined;
  if (tcp) {
    const result = await io.tcp(tcp.host, tcp.port, REACH_TIMEOUT_MS);
    return row('reachability', target, result.ok, result.ok ? `connected in ${Math.round(result.latencyMs)}ms` : result.error);
  }
  const response = await io.http({ url: target, timeoutMs: REACH_TIMEOUT_MS });
  // Any HTTP answer proves the endpoint is reachable; health is the smoke checks' job.
  if ('error' in response) return row('reachability', target, false, response.error);
  return row('reachability', target, true, `HTTP ${response.status} in ${Math.round(response.latencyMs)}ms`);
}

export async function checkPrerequisites(config: PrerequisitesConfig, io: PrerequisiteIo): Promise<PrerequisiteRecord[]> {
  const checks: Promise<PrerequisiteRecord>[] = [
    ...config.env.map(async (name) =>
      row('credentials', name, Boolean(io.env[name]), io.env[name] ? 'set' : 'not set or empty'),
    ),
    ...config.commands.map(async (requirement) => {
      const found = await findCommand(requirement.name, requirement.range, io.env);
      return row('dependencies', requirement.raw, found.ok, found.detail);
    }),
    ...config.files.map(async (file) => {
      const present = await access(resolve(io.workspace, file)).then(() => true, () => false);
      return row('config', file, present, present ? 'present' : 'missing');
    }),
    ...(config.diskBytes === undefined
      ? []
      : [
          freeDiskBytes(io.workspace).then(
            (free) => row('resources', `disk ≥ ${io.formatSize(config.diskBytes!)}`, free >= config.diskBytes!, `${io.formatSize(free)} free`),
            (error: Error) => row('resources', `disk ≥ ${io.formatSize(config.diskBytes!)}`, false, error.message),
          ),
        ]),
    ...config.reachable.map((target) => checkReachable(target, io)),
  ];
  return Promise.all(checks);
}
