// A workspace for fault tests: the fixture service deployed with the `command` provider by real shell scripts that
// switch a `current` symlink (what the platform serves), with a hook at each moment of the pipeline that, when the
// test names that moment in FAULT_AT, marks it reached and hangs — so an interruption lands exactly there.
import { chmod, copyFile, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { startPlatform, type Platform } from '../support/platform.js';
import { fixtureWorkspace, writeConfig } from '../support/workspace.js';

export const MOMENTS = [
  'build',
  'staging deploy',
  'staging smoke',
  'production snapshot',
  'production deploy',
  'production health',
  'verify',
  'finalize',
] as const;
export type Moment = (typeof MOMENTS)[number];

export const PREVIOUS = '1.0.0';
export const NEXT = '1.1.0';

const hookName = (moment: string) => moment.replace(/ /g, '-');

const SCRIPTS: Record<string, string> = {
  // hang.sh <moment>: the first time the run reaches the moment the test chose, say so and wait to be interrupted
  // (a rollback re-running the same checks afterwards must not hang again).
  // Moments named in FAULT_FAIL / FAULT_HANG (space-separated; "moment@version" for one release only) fail / hang
  // every time.
  'hang.sh': `#!/usr/bin/env bash
if [ "\${FAULT_AT:-}" = "$1" ] && [ ! -e "$FAULT_DIR/reached-$1" ]; then
  echo "fault hook: reached $1"
  : > "$FAULT_DIR/reached-$1"
  exec sleep 300
fi
case " \${FAULT_HANG:-} " in *" $1 "*|*" $1@$META_DEPLOY_VERSION "*) echo "fault hook: hanging at $1"; exec sleep 300 ;; esac
case " \${FAULT_FAIL:-} " in *" $1 "*|*" $1@$META_DEPLOY_VERSION "*) echo "fault hook: failing $1" >&2; exit 1 ;; esac
exit 0
`,
  // deploy.sh: copy the verified artifacts into releases/<version>, switch current atomically, then the hook —
  // so an interruption at "production deploy" finds production already serving the new, unverified release.
  'deploy.sh': `#!/usr/bin/env bash
set -euo pipefail
root="srv/$META_DEPLOY_ENVIRONMENT"
mkdir -p "$root/releases"
rm -rf "$root/releases/$META_DEPLOY_VERSION"
cp -R "$META_DEPLOY_ARTIFACTS_DIR" "$root/releases/$META_DEPLOY_VERSION"
ln -sfn "releases/$META_DEPLOY_VERSION" "$root/current.next"
mv -T "$root/current.next" "$root/current"
echo "deployed $META_DEPLOY_VERSION to $META_DEPLOY_ENVIRONMENT"
./deploy/hang.sh "$META_DEPLOY_ENVIRONMENT-deploy"
`,
  'rollback.sh': `#!/usr/bin/env bash
set -euo pipefail
./deploy/hang.sh "$META_DEPLOY_ENVIRONMENT-rollback"
root="srv/$META_DEPLOY_ENVIRONMENT"
test -d "$root/releases/$META_DEPLOY_SNAPSHOT_ID"
ln -sfn "releases/$META_DEPLOY_SNAPSHOT_ID" "$root/current.next"
mv -T "$root/current.next" "$root/current"
echo "rolled $META_DEPLOY_ENVIRONMENT back to $META_DEPLOY_SNAPSHOT_ID"
`,
  // snapshot.sh: the version running now (nothing on a first deployment).
  'snapshot.sh': `#!/usr/bin/env bash
set -euo pipefail
./deploy/hang.sh "$META_DEPLOY_ENVIRONMENT-snapshot"
target="$(readlink "srv/$META_DEPLOY_ENVIRONMENT/current" || true)"
echo "\${target#releases/}"
`,
};

function config(staging: string, production: string): string {
  return `version: 1
targets:
  web: {}
validate:
  tests:
    - { name: unit, run: "node --check app.mjs" }
build:
  run: ./deploy/hang.sh build && node build.mjs
  artifacts: ["dist/**"]
environments:
  staging:
    url: ${staging}
    deploy: ./deploy/deploy.sh
    rollback: ./deploy/rollback.sh
    snapshot: ./deploy/snapshot.sh
    smoke:
      timeout: 5s
      interval: 100ms
      checks:
        - { name: Version, http: "\${url}/version", contains: "\${version}" }
        - { name: Smoke hook, run: ./deploy/hang.sh staging-smoke }
  production:
    url: ${production}
    deploy: ./deploy/deploy.sh
    rollback: ./deploy/rollback.sh
    snapshot: ./deploy/snapshot.sh
    health:
      timeout: 5s
      interval: 100ms
      checks:
        - { name: Health endpoint, http: "\${url}/healthz", contains: ok }
        - { name: Version, run: 'curl -fsS "\${url}/version" | grep -F "\${version}"' }
        - { name: Health hook, run: ./deploy/hang.sh production-health }
verify:
  window: 1s
  interval: 100ms
  latency-p95: { max-ratio: 50 }
  probes: ["\${url}/"]
  probe-rate: 50
  smoke:
    - { name: Verify hook, run: ./deploy/hang.sh verify }
finalize:
  notify: [ { webhook: { url-env: FAULT_WEBHOOK } } ]
`;
}

/** A webhook endpoint: records what it receives; while FAULT_AT is finalize, the first delivery marks the moment
 *  and is never answered (the run is interrupted while notifying). */
async function startWebhook(faultDir: string, hangFirst: boolean): Promise<{ url: string; received: string[]; server: Server }> {
  const received: string[] = [];
  let hung = false;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push(body);
      if (hangFirst && !hung) {
        hung = true;
        void writeFile(join(faultDir, 'reached-finalize'), '');
        return; // never answered
      }
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`, received, server };
}

export interface FaultWorkspace extends AsyncDisposable {
  dir: string;
  faultDir: string;
  staging: Platform;
  production: Platform;
  webhook: { url: string; received: string[] };
  /** Environment for meta-deploy: FAULT_AT picks the moment to hang at (undefined: no fault). */
  env(moment?: Moment): Record<string, string>;
  /** Resolves once the run has reached the moment. */
  reached(moment: Moment | string, timeoutMs?: number): Promise<void>;
  /** What production serves at /version. */
  productionVersion(): Promise<string>;
  records(): Promise<Array<Record<string, unknown>>>;
}

/** Staging and production both run PREVIOUS, served by real platforms on loopback. */
export interface FaultWorkspaceOptions {
  hangFinalize?: boolean;
  /** Edits the config before it is written (a single fault's own settings). */
  patchConfig?: (yaml: string) => string;
}

export async function faultWorkspace(options: FaultWorkspaceOptions = {}): Promise<FaultWorkspace> {
  const dir = await fixtureWorkspace();
  const faultDir = join(dir, '.fault');
  await mkdir(faultDir);
  await mkdir(join(dir, 'deploy'));
  for (const [name, text] of Object.entries(SCRIPTS)) {
    await writeFile(join(dir, 'deploy', name), text);
    await chmod(join(dir, 'deploy', name), 0o755);
  }
  for (const environment of ['staging', 'production']) {
    const release = join(dir, 'srv', environment, 'releases', PREVIOUS);
    await mkdir(release, { recursive: true });
    await copyFile(join(dir, 'app.mjs'), join(release, 'app.mjs'));
    await writeFile(join(release, 'release.json'), JSON.stringify({ version: PREVIOUS, mode: 'healthy' }));
    await symlink(`releases/${PREVIOUS}`, join(dir, 'srv', environment, 'current'));
  }
  const staging = await startPlatform(join(dir, 'srv', 'staging'), 'staging');
  const production = await startPlatform(join(dir, 'srv', 'production'), 'production');
  const webhook = await startWebhook(faultDir, options.hangFinalize ?? false);
  await writeConfig(dir, (options.patchConfig ?? ((yaml) => yaml))(config(staging.url, production.url)));
  const exists = (file: string) => readFile(file).then(() => true, () => false);
  return {
    dir,
    faultDir,
    staging,
    production,
    webhook,
    env: (moment) => ({
      FAULT_DIR: faultDir,
      FAULT_WEBHOOK: webhook.url,
      ...(moment && moment !== 'finalize' ? { FAULT_AT: hookName(moment) } : {}),
    }),
    async reached(moment, timeoutMs = 30_000) {
      const file = join(faultDir, `reached-${hookName(moment)}`);
      const deadline = Date.now() + timeoutMs;
      while (!(await exists(file))) {
        if (Date.now() > deadline) throw new Error(`the run never reached ${moment}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async productionVersion() {
      return (await production.get('/version')).body;
    },
    async records() {
      const text = await readFile(join(dir, '.meta-deploy', 'records.jsonl'), 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter((line) => line.trim() !== '')
        .flatMap((line) => {
          try {
            return [JSON.parse(line) as Record<string, unknown>];
          } catch {
            return [];
          }
        });
    },
    async [Symbol.asyncDispose]() {
      webhook.server.closeAllConnections();
      await new Promise((resolve) => webhook.server.close(resolve));
      await staging[Symbol.asyncDispose]();
      await production[Symbol.asyncDispose]();
    },
  };
}
