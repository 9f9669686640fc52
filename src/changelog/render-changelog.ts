// Changelog of a release from its conventional commits: breaking changes, features, fixes, then the rest.
import type { Commit } from '../plan/version.js';

const SECTIONS: { title: string; matches: (commit: Commit) => boolean }[] = [
  { title: 'Breaking changes', matches: (c) => /^\w+(\([^)]*\))?!:/.test(c.subject) || /^BREAKING[ -]CHANGE:/m.test(c.body) },
  { title: 'Features', matches: (c) => /^feat(\([^)]*\))?:/.test(c.subject) },
  { title: 'Fixes', matches: (c) => /^fix(\([^)]*\))?:/.test(c.subject) },
  { title: 'Other changes', matches: () => true },
];

export function renderChangelog(version: string, date: string, commits: Commit[]): string {
  const remaining = [...commits];
  const lines = [`## ${version} (${date})`, ''];
  for (const section of SECTIONS) {
    const picked = remaining.filter(section.matches);
    if (picked.length === 0) continue;
    for (const commit of picked) remaining.splice(remaining.indexOf(commit), 1);
    lines.push(`### ${section.title}`, '', ...picked.map((commit) => `- ${commit.subject} (${commit.sha.slice(0, 7)})`), '');
  }
  if (commits.length === 0) lines.push('No commits since the previous release.', '');
  return lines.join('\n');
}
