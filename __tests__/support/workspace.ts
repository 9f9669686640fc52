// A temporary workspace holding the fixture service and a config whose environments are served by real platforms.
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'service');

export async function fixtureWorkspace(): Promise<string> {
  const workspace = await mkdtemp(join(tmpdir(), 'meta-deploy-ws-'));
  await cp(FIXTURE, workspace, { recursive: true });
  return workspace;
}

export async function writeConfig(workspace: string, yaml: string, file = '.github/meta-deploy.yml'): Promise<string> {
  await mkdir(join(workspace, '.github'), { recursive: true });
  await writeFile(join(workspace, file), yaml);
  return join(workspace, file);
}

export interface ServiceConfigOptions {
  stagingUrl: string;
  productionUrl: string;
  /** Extra health check lines (already indented YAML list items). */
  extraHealth?: string;
  verifyWindow?: string;
  /** The whole `verify:` section body (indented by 2), instead of the short default one. */
  verify?: string;
}

/** A config deploying the fixture service with the local provider to srv/staging and srv/production. */
export function serviceConfig(options: ServiceConfigOptions): string {
  const checks = `
        - { name: Health endpoint, http: "\${url}/healthz", status: 200, contains: ok }
        - { name: Home page, http: "\${url}/", status: 200 }`;
  return `version: 1
targets:
  web: {}
validate:
  tests:
    - { name: unit, run: "node --check app.mjs" }
  review:
    checks:
      - { name: syntax, category: correctness, run: "node --check build.mjs" }
  prerequisites:
    commands: ["node >=20"]
    files: [app.mjs]
build:
  run: node build.mjs
  artifacts: ["dist/**"]
environments:
  staging:
    url: ${options.stagingUrl}
    provider: local
    path: srv/staging
    smoke: { timeout: 2s, interval: 200ms, checks: [${'{ name: Health endpoint, http: "${url}/healthz", status: 200, contains: ok }'}] }
  production:
    url: ${options.productionUrl}
    provider: local
    path: srv/production
    health:
      timeout: 2s
      interval: 200ms
      checks:${checks}${options.extraHealth ?? ''}
verify:
${
  options.verify ??
  `  window: ${options.verifyWindow ?? '1500ms'}
  interval: 100ms
  latency-p95: { max-ratio: 20 }
  probes: ["\${url}/"]
  probe-rate: 50
  smoke:
    - { name: Version endpoint, http: "\${url}/version", status: 200 }`
}
`;
}
