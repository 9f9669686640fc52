// Build output → a directory holding exactly the verified artifacts, with SHA-256 and size of each, and beside it
// (`<dir>.SHA256SUMS`, never inside: the directory is what gets deployed) a manifest that `sha256sum -c` accepts from
// within the directory. Paths are kept relative to the deepest folder all matches share, as actions/upload-artifact
// does, so `dist/**` deploys as the contents of dist/.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, relative, sep } from 'node:path';
import { glob } from 'tinyglobby';
import type { ArtifactRecord } from '../engine/model.js';

export const MANIFEST_NAME = 'SHA256SUMS';

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export function commonDirectory(paths: string[]): string {
  if (paths.length === 0) return '';
  const split = paths.map((path) => posix.dirname(path).split('/').filter((part) => part !== '.'));
  const first = split[0]!;
  let length = first.length;
  for (const parts of split) {
    let index = 0;
    while (index < length && parts[index] === first[index]) index++;
    length = index;
  }
  return first.slice(0, length).join('/');
}

/** Workspace-relative matches, never inside one of `excludedDirs` (the state directory: each run would otherwise
 *  ship the copies of every earlier run). */
export async function matchArtifacts(workspace: string, patterns: string[], excludedDirs: string[] = []): Promise<string[]> {
  const excluded = excludedDirs
    .map((dir) => relative(workspace, dir).split(sep).join('/'))
    .filter((dir) => dir !== '' && dir !== '..' && !dir.startsWith('../') && !isAbsolute(dir));
  const matched = await glob(patterns, { cwd: workspace, dot: true, onlyFiles: true, followSymbolicLinks: false });
  return matched.filter((path) => !excluded.some((dir) => path.startsWith(`${dir}/`))).sort();
}

/** Copies the matched files into `into` (emptied first) and hashes each copy. */
export async function collectArtifacts(workspace: string, matched: string[], into: string): Promise<ArtifactRecord[]> {
  await rm(into, { recursive: true, force: true });
  await mkdir(into, { recursive: true });
  const base = commonDirectory(matched);
  const records: ArtifactRecord[] = [];
  for (const source of matched) {
    const relative = base ? posix.relative(base, source) : source;
    const destination = join(into, relative);
    await mkdir(dirname(destination), { recursive: true });
    await copyFile(join(workspace, source), destination);
    records.push({ path: relative, size: (await stat(destination)).size, sha256: await sha256File(destination) });
  }
  return records;
}

export function renderManifest(artifacts: ArtifactRecord[]): string {
  return artifacts.map((artifact) => `${artifact.sha256}  ${artifact.path}\n`).join('');
}

/** The manifest of the artifacts directory `into`: beside it, so that the directory holds only the artifacts. */
export function manifestFileOf(into: string): string {
  return `${into}.${MANIFEST_NAME}`;
}

export async function writeManifest(into: string, artifacts: ArtifactRecord[]): Promise<string> {
  const file = manifestFileOf(into);
  await writeFile(file, renderManifest(artifacts));
  return file;
}

/** Re-hashes every artifact against the manifest as written on disk: catches a copy that changed or went missing,
 *  and a manifest that lost or changed an entry. */
export async function verifyArtifacts(into: string, artifacts: ArtifactRecord[]): Promise<string[]> {
  const listed = new Map<string, string>();
  for (const line of (await readFile(manifestFileOf(into), 'utf8')).split('\n')) {
    const entry = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (entry) listed.set(entry[2]!, entry[1]!);
  }
  const mismatches: string[] = [];
  for (const artifact of artifacts) {
    const expected = listed.get(artifact.path);
    const actual = await sha256File(join(into, artifact.path)).catch(() => 'missing');
    if (expected !== artifact.sha256) mismatches.push(`${artifact.path}: not in ${MANIFEST_NAME} as collected`);
    else if (actual !== expected) mismatches.push(`${artifact.path}: ${actual === 'missing' ? 'missing' : 'checksum differs'}`);
  }
  return mismatches;
}
