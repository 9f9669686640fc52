// Symbolic links among the artifacts. The glob (tinyglobby, which does not follow links) leaves them out without a
// word, so a deploy would miss files nobody was told about. They are looked for apart: in the folders the patterns
// start from, every link a pattern matches (and no "!" pattern excludes) is named, with where it points, and the
// build fails on them.
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import picomatch from 'picomatch';

export interface ArtifactLink {
  /** Workspace-relative, `/`-separated. */
  path: string;
  target: string;
}

export async function linksAmongArtifacts(workspace: string, patterns: string[], excludedDirs: string[] = []): Promise<ArtifactLink[]> {
  // As the glob does (tinyglobby's expandDirectories), a pattern naming a directory means everything under it.
  const given = patterns.filter((pattern) => !pattern.startsWith('!'));
  const directories = await Promise.all(given.map((pattern) => lstat(join(workspace, pattern)).then((stats) => stats.isDirectory(), () => false)));
  const positive = given.flatMap((pattern, index) => (directories[index] ? [pattern, `${pattern.replace(/\/+$/, '')}/**`] : [pattern]));
  const negative = patterns.filter((pattern) => pattern.startsWith('!')).map((pattern) => pattern.slice(1));
  const matches = picomatch(positive, { dot: true });
  const ignored = negative.length > 0 ? picomatch(negative, { dot: true }) : () => false;
  const excluded = excludedDirs.map((dir) => relative(workspace, dir).split(sep).join('/')).filter((dir) => dir !== '' && !dir.startsWith('..'));
  const wanted = (path: string) => matches(path) && !ignored(path) && !excluded.some((dir) => path === dir || path.startsWith(`${dir}/`));
  const bases = [...new Set(positive.map((pattern) => picomatch.scan(pattern).base))];
  const roots = bases.filter((base) => !bases.some((other) => other !== base && (other === '' || base.startsWith(`${other}/`))));
  const found = new Set<string>();
  for (const base of roots) {
    const stats = await lstat(join(workspace, base)).catch(() => undefined);
    if (stats?.isSymbolicLink()) {
      if (wanted(base)) found.add(base);
    } else if (stats?.isDirectory()) {
      // Node's recursive readdir lists links as entries and does not go through them.
      for (const entry of await readdir(join(workspace, base), { recursive: true, withFileTypes: true })) {
        if (!entry.isSymbolicLink()) continue;
        const path = relative(workspace, join(entry.parentPath, entry.name)).split(sep).join('/');
        if (wanted(path)) found.add(path);
      }
    }
  }
  return Promise.all([...found].sort().map(async (path) => ({ path, target: await readlink(join(workspace, path)) })));
}
