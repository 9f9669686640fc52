// A temp workspace for whole-pipeline runs with the `command` provider: real bash scripts that keep what each
// environment "runs" in envs/<environment>/current, and a config that deploys with them.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentName } from '../../src/config/types.js';

const SCRIPTS: Record<string, string> = {
  'deploy.sh': 'mkdir -p "envs/$META_DEPLOY_ENVIRONMENT"\nprintf \'%s\\n\' "$META_DEPLOY_VERSION" > "envs/$META_DEPLOY_ENVIRONMENT/current"\n',
  'rollback.sh': 'printf \'%s\\n\' "$META_DEPLOY_SNAPSHOT_ID" > "envs/$META_DEPLOY_ENVIRONMENT/current"\n',
  // Prints nothing before the first deployment: nothing runs, nothing to roll back to.
  'snapshot.sh': 'if [ -f "envs/$META_DEPLOY_ENVIRONMENT/current" ]; then cat "envs/$META_DEPLOY_ENVIRONMENT/current"; fi\n',
};

export interface DeployWorkspace extends AsyncDisposable {
  dir: string;
  configFile: string;
  /** What the environment runs now, or undefined before its first deployment. */
  current(environment: EnvironmentName): Promise<string | undefined>;
  setCurrent(environment: EnvironmentName, version: string): Promise<void>;
  /** Replaces (or adds) an executable bash script in the workspace. */
  writeScript(name: string, body: string): Promise<void>;
  exists(file: string): Promise<boolean>;
}

export async function createDeployWorkspace(): Promise<DeployWorkspace> {
  const dir = await mkdtemp(join(tmpdir(), 'meta-deploy-run-'));
  const currentFile = (environment: EnvironmentName) => join(dir, 'envs', environment, 'current');
  const writeScript = async (name: string, body: string) => {
    await writeFile(join(dir, name), `#!/usr/bin/env bash\nset -eo pipefail\n${body}`);
    await chmod(join(dir, name), 0o755);
  };
  for (const [name, body] of Object.entries(SCRIPTS)) await writeScript(name, body);
  return {
    dir,
    configFile: join(dir, 'meta-deploy.yml'),
    current: async (environment) => (await readFile(currentFile(environment), 'utf8').catch(() => undefined))?.trim(),
    async setCurrent(environment, version) {
      await mkdir(join(dir, 'envs', environment), { recursive: true });
      await writeFile(currentFile(environment), `${version}\n`);
    },
    writeScript,
    exists: (file) => readFile(join(dir, file)).then(() => true, () => false),
    async [Symbol.asyncDispose]() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The end of a staging-only config: staging deployed by the workspace's scripts, judged by its \`current\` file. */
export const STAGING_ONLY = `environments:
  staging:
    deploy: ./deploy.sh
    rollback: ./rollback.sh
    snapshot: ./snapshot.sh
    smoke: { timeout: 500ms, interval: 100ms, checks: [{ name: Deployed, run: "test -f envs/staging/current" }] }
finalize: { changelog: false, release: false }
`;

export interface PipelineConfigOptions {
  /** Served by a loopback server whose health follows envs/production/current. */
  productionUrl: string;
  /** The `validate:` section body (indented by 2). */
  validate?: string;
  stagingDeploy?: string;
  /** The `verify:` section body (indented by 2); no verify stage when absent. */
  verify?: string;
  /** The `finalize:` section body (indented by 2). */
  finalize?: string;
}

/** Staging is healthy once deployed; production is health-checked over HTTP with short limits. */
export function pipelineConfig(options: PipelineConfigOptions): string {
  return `version: 1
validate:
${options.validate ?? '  tests:\n    - { name: unit, run: "true" }'}
environments:
  staging:
    deploy: ${options.stagingDeploy ?? './deploy.sh'}
    rollback: ./rollback.sh
    snapshot: ./snapshot.sh
    smoke: { timeout: 500ms, interval: 100ms, checks: [{ name: Deployed, run: "test -f envs/staging/current" }] }
  production:
    url: ${options.productionUrl}
    deploy: ./deploy.sh
    rollback: ./rollback.sh
    snapshot: ./snapshot.sh
    health:
      timeout: 500ms
      interval: 100ms
      checks:
        - { name: Health endpoint, http: "\${url}/healthz", status: 200, contains: ok, timeout: 1s }
${options.verify ? `verify:\n${options.verify}\n` : ''}finalize:
${options.finalize ?? '  changelog: false\n  release: false'}
`;
}
