// The local artifact store, <state-dir>/artifacts/, one run's files side by side:
//   <run id>/               the verified artifacts (written by the build; what gets deployed)
//   <run id>.SHA256SUMS     their manifest (the build; `sha256sum -c` from within <run id>/)
//   <run id>.report.json    the run's JSON report
//   <run id>.debug.md       a run that did not succeed: the failure's debug details (masked, as the summary shows them)
// The artifact uploaded in GitHub Actions holds the same files under the same paths.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manifestFileOf } from './collect-artifacts.js';

/** The store inside a state dir. */
export function artifactStoreOf(stateDir: string): string {
  return join(stateDir, 'artifacts');
}

/** The files kept beside a run's artifacts directory (pruned with it). */
export function besideFilesOf(buildDir: string): { manifest: string; report: string; debug: string } {
  return { manifest: manifestFileOf(buildDir), report: `${buildDir}.report.json`, debug: `${buildDir}.debug.md` };
}

export interface RunFiles {
  runId: string;
  /** The verified artifacts, relative to <run id>/ (none when the build did not collect them). */
  artifacts: string[];
  /** The build wrote SHA256SUMS beside them. */
  manifest: boolean;
  /** The JSON report written for this run, copied into the store. */
  reportFile?: string;
  /** The failure's debug details (markdown, masked). */
  debug?: string;
}

export interface StoredRun {
  /** The store: every path in `files` is inside it. */
  root: string;
  files: string[];
}

/** Puts the report and the debug details beside the run's artifacts and lists what the store holds for the run. */
export async function storeRunFiles(stateDir: string, run: RunFiles): Promise<StoredRun> {
  const root = artifactStoreOf(stateDir);
  const buildDir = join(root, run.runId);
  const beside = besideFilesOf(buildDir);
  await mkdir(root, { recursive: true });
  const files = run.artifacts.map((path) => join(buildDir, path));
  if (run.manifest) files.push(beside.manifest);
  if (run.reportFile !== undefined) {
    await copyFile(run.reportFile, beside.report);
    files.push(beside.report);
  }
  if (run.debug !== undefined) {
    await writeFile(beside.debug, run.debug);
    files.push(beside.debug);
  }
  return { root, files };
}
