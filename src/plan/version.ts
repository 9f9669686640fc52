// Which version is being deployed when the user did not say: the pushed tag, else the v* tag on the commit deployed
// (nothing new since it: the same version again), else the next semantic version after the latest v* tag from the
// conventional commits since it, else 0.1.0. The tags and commits come from a ReleaseHistory (local git or the
// GitHub API); this file only decides.
import semver from 'semver';
import type { ReleaseHistory, VersionTag } from './release-history.js';
import type { ReleaseChanges, VersionSource } from './types.js';

export interface ComputedVersion extends ReleaseChanges {
  version: string;
  source: VersionSource;
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

/** Highest v* tag, or the highest one below `below` (for a tag push, the release before it). */
export function latestVersionTag(tags: VersionTag[], below?: string): string | undefined {
  const valid = tags.map((tag) => tag.name).filter((name) => !below || semver.lt(name.slice(1), below));
  return valid.sort((a, b) => semver.rcompare(a.slice(1), b.slice(1)))[0];
}

/** What a release of `version` brings: the commits since the highest v* tag below it. */
export async function changesUpTo(history: ReleaseHistory, version: string): Promise<ReleaseChanges> {
  const previousTag = latestVersionTag(await history.versionTags(), version);
  return { ...(previousTag ? { previousTag } : {}), commits: await history.commitsSince(previousTag) };
}

/** `head`: the commit deployed (a v* tag on it means nothing new since that release). */
export async function computeVersion(history: ReleaseHistory, ref: string | undefined, head: string | undefined): Promise<ComputedVersion> {
  const pushed = versionFromRef(ref);
  const tags = await history.versionTags();
  const atHead = pushed ? undefined : latestVersionTag(tags.filter((tag) => head !== undefined && tag.sha === head))?.slice(1);
  const fromTag = pushed ?? atHead;
  const previousTag = latestVersionTag(tags, fromTag);
  const commits = await history.commitsSince(previousTag);
  const changes = { ...(previousTag ? { previousTag } : {}), commits };
  if (fromTag) return { version: fromTag, source: pushed ? 'tag' : 'unchanged', ...changes };
  if (!previousTag) return { version: '0.1.0', source: 'first', commits };
  const next = semver.inc(previousTag.slice(1), bumpFor(commits));
  return { version: next ?? '0.1.0', source: 'commits', ...changes };
}
