// Where a version's history is read: the v* tags and the commits since one. Two sources answer the same questions:
// local git (the CLI, and the action without a token) and the GitHub API (src/github/release-history.ts: a shallow
// `actions/checkout` has neither the tags nor the commits). The plan says which one answered.
import semver from 'semver';
import { git } from '../exec/git.js';
import type { Commit } from './version.js';

export type VersionFrom = 'GitHub API' | 'local git';

export interface VersionTag {
  /** e.g. v1.2.3 */
  name: string;
  /** The commit the tag points at (peeled through an annotated tag). */
  sha: string;
}

export interface ReleaseHistory {
  /** Who answered so far: a GitHub history that fell back says 'local git'. */
  source(): VersionFrom;
  /** What the answers lack, one line each: a fallback and its reason, a capped comparison. */
  notes(): string[];
  /** https://github.com/owner/repo when known: the changelog then links pull requests and commits. */
  repositoryUrl?: string;
  /** The v<semver> tags (others are left out), in no particular order. */
  versionTags(): Promise<VersionTag[]>;
  /** The commits after `tag` up to the commit deployed (all of them without a tag), newest first. */
  commitsSince(tag: string | undefined): Promise<Commit[]>;
}

/** `v1.2.3` → true; `vnext`, `release-5.0.0`, `1.2.3` → false. */
export function isVersionTag(name: string): boolean {
  return name.startsWith('v') && semver.valid(name.slice(1)) !== null;
}

/** `subject\n\nbody` as git's %s and %b split it: the first paragraph on one line, the rest trimmed. */
export function commitOf(sha: string, message: string): Commit {
  const [first = '', ...rest] = message.replace(/\r\n/g, '\n').split(/\n\s*\n/);
  return { sha, subject: first.trim().replace(/\s*\n\s*/g, ' '), body: rest.join('\n\n').trim() };
}

/** The history of the workspace's own clone, up to HEAD. Outside a repository: no tags, no commits. */
export function localGitHistory(workspace: string): ReleaseHistory {
  const notes = new Set<string>();
  return {
    source: () => 'local git',
    notes: () => [...notes],
    async versionTags() {
      // %(*objectname) is the commit under an annotated tag, empty for a lightweight one (then %(objectname) is it).
      const listed = await git(['for-each-ref', '--format=%(refname:strip=2)%09%(*objectname)%09%(objectname)', 'refs/tags/v*'], workspace);
      if (!listed.ok) {
        notes.add(`no tags read from local git: ${listed.stderr.trim().split('\n')[0]}`);
        return [];
      }
      return listed.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [name = '', peeled = '', object = ''] = line.split('\t');
          return { name, sha: peeled || object };
        })
        .filter((tag) => isVersionTag(tag.name));
    },
    async commitsSince(tag) {
      const log = await git(['log', '--format=%H%x1f%s%x1f%b%x1e', tag ? `${tag}..HEAD` : 'HEAD'], workspace);
      if (!log.ok) return [];
      return log.stdout
        .split('\x1e')
        .map((entry) => entry.trim())
        .filter(Boolean)
        .map((entry) => {
          const [sha = '', subject = '', body = ''] = entry.split('\x1f');
          return { sha, subject, body: body.trim() };
        });
    },
  };
}
