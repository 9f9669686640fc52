// Checks an artifacts directory against its SHA256SUMS as stored on disk (parsed, not the records it was written
// from): a file the manifest lists that is missing, a file on disk it does not list (extra), and a file whose
// content changed are each named. Two depths: `full` re-hashes every file (on the hash pool), `size-mtime` is the
// fast guard for large sets — the size must be the one recorded at build time and the file must not have been
// modified after the manifest was written. Right after the build, `verifyBuiltArtifacts` checks the manifest read back
// against the hashes taken while copying (the bytes that were written), without reading the copies a second time.
import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ArtifactRecord } from '../engine/model.js';
import { MANIFEST_NAME, manifestFileOf } from './collect-artifacts.js';
import { copyAndHashFiles } from './hash-pool.js';

export type VerifyDepth = 'full' | 'size-mtime';

export interface ManifestCheck {
  /** Files the manifest lists. */
  files: number;
  problems: string[];
}

/** `<sha256>  <path>` lines as `sha256sum` writes them; anything else makes the manifest unreadable. */
export function parseManifest(text: string): Map<string, string> {
  const listed = new Map<string, string>();
  for (const [index, line] of text.split('\n').entries()) {
    if (line === '') continue;
    const entry = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!entry) throw new Error(`${MANIFEST_NAME} line ${index + 1} is not "<sha256>  <path>"`);
    listed.set(entry[2]!, entry[1]!);
  }
  return listed;
}

/** Every file under `dir` (anything that is not a directory, symlinks included), as `/`-separated relative paths. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** What the build made, as this run recorded it: each file's size and SHA-256, and the SHA-256 of the manifest it
 *  wrote. */
export interface BuiltSet {
  artifacts: ArtifactRecord[];
  manifestSha256?: string;
}

/** The manifest beside `dir` read back and compared with what is in `dir`. With `built`, the manifest must also be the
 *  one this run wrote (its SHA-256): one rewritten to match changed files is named, and the files are then judged
 *  against the build's own records. With `size-mtime`, the sizes are the build's. */
export async function verifyAgainstManifest(dir: string, depth: VerifyDepth, built?: BuiltSet): Promise<ManifestCheck> {
  const manifestFile = manifestFileOf(dir);
  const problems: string[] = [];
  let text: string | undefined;
  let listed: Map<string, string> | undefined;
  try {
    text = await readFile(manifestFile, 'utf8');
    listed = parseManifest(text);
  } catch (error) {
    problems.push(`${MANIFEST_NAME} unreadable: ${(error as Error).message}`);
  }
  if (built?.manifestSha256 !== undefined) {
    if (text !== undefined && createHash('sha256').update(text).digest('hex') !== built.manifestSha256) {
      problems.push(`${MANIFEST_NAME} changed since the build (its sha256 is not the one this run recorded)`);
    }
    // A manifest that is not the build's own proves nothing: the files are judged against the build's records.
    if (problems.length > 0) listed = new Map(built.artifacts.map((artifact) => [artifact.path, artifact.sha256]));
  }
  if (listed === undefined) return { files: 0, problems };
  const sizes = new Map(built?.artifacts.map((artifact) => [artifact.path, artifact.size]));
  const onDisk = await filesUnder(dir).catch(() => []);
  const present = new Set(onDisk);
  problems.push(
    ...[...listed.keys()].filter((path) => !present.has(path)).map((path) => `${path}: missing`),
    ...onDisk.filter((path) => !listed.has(path)).map((path) => `${path}: extra (not in ${MANIFEST_NAME})`),
  );
  const kept = [...listed.keys()].filter((path) => present.has(path));
  if (depth === 'full') {
    const { files } = await copyAndHashFiles(kept.map((path) => ({ source: join(dir, path) })));
    kept.forEach((path, index) => {
      if (files[index]!.sha256 !== listed.get(path)) problems.push(`${path}: content changed (sha256 differs)`);
    });
  } else {
    const written = await stat(manifestFile).then((manifest) => manifest.mtimeMs, () => Infinity);
    for (const path of kept) {
      const file = await stat(join(dir, path));
      const size = sizes.get(path);
      if (size !== undefined && file.size !== size) problems.push(`${path}: content changed (size ${file.size}, built ${size})`);
      else if (file.mtimeMs > written) problems.push(`${path}: content changed (modified after ${MANIFEST_NAME} was written)`);
    }
  }
  return { files: listed.size, problems };
}

/** The build's integrity step: the manifest read back from disk lists exactly the copied files with the hashes taken
 *  while copying, and every copy is on disk, unchanged in size and time, with nothing extra beside it. */
export async function verifyBuiltArtifacts(dir: string, artifacts: ArtifactRecord[]): Promise<ManifestCheck> {
  const check = await verifyAgainstManifest(dir, 'size-mtime', { artifacts });
  const listed = check.files ? parseManifest(await readFile(manifestFileOf(dir), 'utf8')) : new Map<string, string>();
  for (const artifact of artifacts) {
    const entry = listed.get(artifact.path);
    if (entry === undefined) check.problems.push(`${artifact.path}: not listed in ${MANIFEST_NAME}`);
    else if (entry !== artifact.sha256) check.problems.push(`${artifact.path}: ${MANIFEST_NAME} lists another sha256 than the copy's`);
  }
  return check;
}
