// Build output → a directory holding exactly the verified artifacts, with SHA-256 and size of each (hashed while
// copied: hash-pool.ts), and beside it (`<dir>.SHA256SUMS`, never inside: the directory is what gets deployed) a
// manifest that `sha256sum -c` accepts from within the directory. Paths are kept relative to the deepest folder all
// matches share, as actions/upload-artifact does, so `dist/**` deploys as the contents of dist/.
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, relative, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { glob } from 'tinyglobby';
import type { ArtifactRecord, HashingRecord } from '../engine/model.js';
import { copyAndHashFiles } from './hash-pool.js';

export const MANIFEST_NAME = 'SHA256SUMS';

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

/** Copies the matched files into `into` (emptied first), hashing each while it is copied (one read of every byte,
 *  files in parallel on the hash pool), and measures how fast that went. */
export async function collectArtifacts(workspace: string, matched: string[], into: string): Promise<{ artifacts: ArtifactRecord[]; hashing: HashingRecord }> {
  await rm(into, { recursive: true, force: true });
  await mkdir(into, { recursive: true });
  const base = commonDirectory(matched);
  const paths = matched.map((source) => (base ? posix.relative(base, source) : source));
  for (const folder of new Set(paths.map((path) => dirname(join(into, path))))) await mkdir(folder, { recursive: true });
  const started = performance.now();
  const { files, workers } = await copyAndHashFiles(matched.map((source, index) => ({ source: join(workspace, source), destination: join(into, paths[index]!) })));
  const durationMs = performance.now() - started;
  const artifacts = paths.map((path, index) => ({ path, size: files[index]!.size, sha256: files[index]!.sha256 }));
  return { artifacts, hashing: { files: artifacts.length, bytes: artifacts.reduce((sum, artifact) => sum + artifact.size, 0), durationMs, workers } };
}

export function renderManifest(artifacts: ArtifactRecord[]): string {
  return artifacts.map((artifact) => `${artifact.sha256}  ${artifact.path}\n`).join('');
}

/** The manifest of the artifacts directory `into`: beside it, so that the directory holds only the artifacts. */
export function manifestFileOf(into: string): string {
  return `${into}.${MANIFEST_NAME}`;
}

/** Writes the manifest; returns where, and the SHA-256 of what was written (the run keeps it: a manifest rewritten
 *  to match tampered files no longer has it). */
export async function writeManifest(into: string, artifacts: ArtifactRecord[]): Promise<{ file: string; sha256: string }> {
  const file = manifestFileOf(into);
  const text = renderManifest(artifacts);
  await writeFile(file, text);
  return { file, sha256: createHash('sha256').update(text).digest('hex') };
}
