// Changelog of a release from its conventional commits: breaking changes, features, fixes, then the rest.
import { isBreaking, isFeature, isFix, type Commit } from '../plan/version.js';

const SECTIONS: { title: string; matches: (commit: Commit) => boolean }[] = [
  { title: 'Breaking changes', matches: isBreaking },
  { title: 'Features', matches: isFeature },
  { title: 'Fixes', matches: isFix },
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
