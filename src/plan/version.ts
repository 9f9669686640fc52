// Which version is being deployed when the user did not say: the pushed tag, else the v* tag on HEAD itself (nothing
// new since it: the same version again), else the next semantic version after the latest v* tag from the
// conventional commits since it, else 0.1.0.
import semver from 'semver';
import { git } from '../exec/git.js';
import type { VersionSource } from './types.js';

export interface ComputedVersion {
  version: string;
  source: VersionSource;
  /** Latest v* tag before this version, if any. */
  previousTag?: string;
  /** Subjects of the commits since previousTag (for the changelog). */
  commits: Commit[];
}

export interface Commit {
  sha: string;
  subject: string;
  body: string;
}

export type Bump = 'major' | 'minor' | 'patch';

/** Conventional commits: `type(scope)!: subject`, with a `BREAKING CHANGE:` footer also meaning breaking. */
export const isBreaking = (commit: Commit) => /^\w+(\([^)]*\))?!:/.test(commit.subject) || /^BREAKING[ -]CHANGE:/m.test(commit.body);
export const isFeature = (commit: Commit) => /^feat(\([^)]*\))?!?:/.test(commit.subject);
export const isFix = (commit: Commit) => /^fix(\([^)]*\))?!?:/.test(commit.subject);

/** Conventional commit → bump: breaking → major, feat → minor, anything else → patch. */
export function bumpFor(commits: Commit[]): Bump {
  if (commits.some(isBreaking)) return 'major';
  return commits.some(isFeature) ? 'minor' : 'patch';
}

/** `refs/tags/v1.2.3` → `1.2.3`; undefined for anything that is not a semver tag. */
export function versionFromRef(ref: string | undefined): string | undefined {
  const match = /^refs\/tags\/(.+)$/.exec(ref ?? '');
  return match ? (semver.valid(semver.clean(match[1]!) ?? '') ?? undefined) : undefined;
}

/** Highest v* tag, or the highest one below `below` (for a tag push, the release before it); `atHead`: only the
 *  tags on HEAD itself. */
export async function latestVersionTag(workspace: string, below?: string, atHead = false): Promise<string | undefined> {
  const tags = await git(['tag', ...(atHead ? ['--points-at', 'HEAD'] : []), '--list', 'v*'], workspace);
  if (!tags.ok) return undefined;
  const valid = tags.stdout
    .split('\n')
    .filter((tag) => semver.valid(tag.slice(1)) && (!below || semver.lt(tag.slice(1), below)));
  return valid.sort((a, b) => semver.rcompare(a.slice(1), b.slice(1)))[0];
}

export async function commitsSince(workspace: string, tag: string | undefined): Promise<Commit[]> {
  const range = tag ? [`${tag}..HEAD`] : ['HEAD'];
  const log = await git(['log', '--format=%H%x1f%s%x1f%b%x1e', ...range], workspace);
  if (!log.ok) return [];
  return log.stdout
    .split('\x1e')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [sha = '', subject = '', body = ''] = entry.split('\x1f');
      return { sha, subject, body: body.trim() };
    });
}

export async function computeVersion(workspace: string, ref: string | undefined): Promise<ComputedVersion> {
  const pushed = versionFromRef(ref);
  const atHead = pushed ? undefined : (await latestVersionTag(workspace, undefined, true))?.slice(1);
  const fromTag = pushed ?? atHead;
  const previousTag = await latestVersionTag(workspace, fromTag);
  const commits = await commitsSince(workspace, previousTag);
  if (fromTag) return { version: fromTag, source: pushed ? 'tag' : 'unchanged', previousTag, commits };
  if (!previousTag) return { version: '0.1.0', source: 'first', commits };
  const next = semver.inc(previousTag.slice(1), bumpFor(commits));
  return { version: next ?? '0.1.0', source: 'commits', previousTag, commits };
}
