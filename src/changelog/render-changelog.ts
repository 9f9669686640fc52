// Changelog of a release from its conventional commits: breaking changes, features, fixes, then the rest. With the
// repository's URL (https://github.com/owner/repo), a subject's pull request reference "(#123)" links to the pull
// request and each commit to its page; without it (the CLI on a plain clone), both stay plain text.
import { isBreaking, isFeature, isFix, type Commit } from '../plan/version.js';

const SECTIONS: { title: string; matches: (commit: Commit) => boolean }[] = [
  { title: 'Breaking changes', matches: isBreaking },
  { title: 'Features', matches: isFeature },
  { title: 'Fixes', matches: isFix },
  { title: 'Other changes', matches: () => true },
];

function entry(commit: Commit, repositoryUrl: string | undefined): string {
  const short = commit.sha.slice(0, 7);
  if (!repositoryUrl) return `- ${commit.subject} (${short})`;
  const subject = commit.subject.replace(/\(#(\d+)\)/g, (_match, number: string) => `([#${number}](${repositoryUrl}/pull/${number}))`);
  return `- ${subject} ([${short}](${repositoryUrl}/commit/${commit.sha}))`;
}

export function renderChangelog(version: string, date: string, commits: Commit[], repositoryUrl?: string): string {
  const remaining = [...commits];
  const lines = [`## ${version} (${date})`, ''];
  for (const section of SECTIONS) {
    const picked = remaining.filter(section.matches);
    if (picked.length === 0) continue;
    for (const commit of picked) remaining.splice(remaining.indexOf(commit), 1);
    lines.push(`### ${section.title}`, '', ...picked.map((commit) => entry(commit, repositoryUrl)), '');
  }
  if (commits.length === 0) lines.push('No commits since the previous release.', '');
  return lines.join('\n');
}
