// The artifact upload port (engine/artifact-upload-port.ts): the run's artifacts, SHA256SUMS, JSON report and, when it
// did not succeed, its debug details go into the local artifact store (artifacts/artifact-store.ts); in GitHub
// Actions (ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL set) the same files, under the same paths, are uploaded as one
// artifact with @actions/artifact and linked. A failure is a warning record, never a throw.
import { DefaultArtifactClient } from '@actions/artifact';
import { formatSize } from '../config/units.js';
import type { ArtifactUploadPort, ArtifactUploadRequest } from '../engine/artifact-upload-port.js';
import type { ArtifactUploadRecord } from '../engine/model.js';
import { storeRunFiles, type StoredRun } from '../artifacts/artifact-store.js';
import { renderDebugDetails } from '../report/summary.js';

/** Where GitHub shows an uploaded artifact of this workflow run. */
function artifactUrl(env: NodeJS.ProcessEnv, id: number): string | undefined {
  const { GITHUB_SERVER_URL: server = 'https://github.com', GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  return repository && runId ? `${server}/${repository}/actions/runs/${runId}/artifacts/${id}` : undefined;
}

/** The error's first line (the client appends advice for self-hosted runners), without the signed upload URL's
 *  signature: a credential, which an error quoting the URL must not carry into the report. */
function describeFailure(error: Error): string {
  return (error.message.split('\n')[0] ?? '').replace(/([?&]sig=)[^&\s]+/g, '$1***');
}

function inActions(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL);
}

async function store({ deployment, stateDir }: ArtifactUploadRequest): Promise<StoredRun> {
  const build = deployment.stages.build;
  // Only verified artifacts leave the machine: a build that failed its gates (a secret found in them) uploads none.
  const verified = build.data?.artifactsDir !== undefined && build.gates.some((gate) => gate.name === 'artifacts:verified' && gate.passed);
  const debug = renderDebugDetails(deployment);
  return storeRunFiles(stateDir, {
    runId: deployment.id,
    artifacts: verified ? (build.data?.artifacts ?? []).map((artifact) => artifact.path) : [],
    manifest: verified && build.data?.manifest !== undefined,
    ...(deployment.reportFile !== undefined ? { reportFile: deployment.reportFile } : {}),
    ...(debug !== undefined ? { debug } : {}),
  });
}

/** @actions/artifact reports its progress through @actions/core, which writes to stdout. Where stdout carries data
 *  (the CLI's --json report), those lines go to `log` instead while the upload runs. */
async function withStdoutTo<T>(log: NodeJS.WritableStream | undefined, action: () => Promise<T>): Promise<T> {
  if (log === undefined) return action();
  const write = process.stdout.write;
  process.stdout.write = ((...args: Parameters<typeof process.stdout.write>) => log.write(...(args as [string]))) as typeof process.stdout.write;
  try {
    return await action();
  } finally {
    process.stdout.write = write;
  }
}

async function upload(request: ArtifactUploadRequest, stored: StoredRun, env: NodeJS.ProcessEnv, log: NodeJS.WritableStream | undefined): Promise<ArtifactUploadRecord> {
  const { id, size, digest } = await withStdoutTo(log, () =>
    new DefaultArtifactClient().uploadArtifact(request.name, stored.files, stored.root, {
      ...(request.retentionDays !== undefined ? { retentionDays: request.retentionDays } : {}),
    }),
  );
  const url = id === undefined ? undefined : artifactUrl(env, id);
  const facts = [`${stored.files.length} files`, ...(size !== undefined ? [formatSize(size)] : []), ...(digest ? [`sha256:${digest}`] : [])];
  return { status: 'passed', detail: `uploaded (${facts.join(', ')})`, name: request.name, ...(url ? { url } : {}) };
}

/** `log`: where the client's progress lines go when stdout carries data (the CLI under --json). */
export function artifactUploader(env: NodeJS.ProcessEnv, log?: NodeJS.WritableStream): ArtifactUploadPort {
  return async (request) => {
    let stored: StoredRun;
    try {
      stored = await store(request);
    } catch (error) {
      return { status: 'warning', detail: `not stored in the local artifact store: ${(error as Error).message}`, name: request.name };
    }
    const where = `${stored.root}/${request.deployment.id}*`;
    if (!inActions(env)) return { status: 'passed', detail: `${stored.files.length} files kept in the local artifact store: ${where}`, name: stored.root };
    return upload(request, stored, env, log).catch((error: Error) => ({
      status: 'warning' as const,
      detail: `upload of ${request.name} failed: ${describeFailure(error)}; the files are kept in ${where}`,
      name: request.name,
    }));
  };
}
