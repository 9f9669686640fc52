import { expect, test } from 'vitest';
import { renderChangelog } from '../../src/changelog/render-changelog.js';
import type { Commit } from '../../src/plan/version.js';

let counter = 0;
function commit(subject: string, body = ''): Commit {
  counter += 1;
  return { sha: `${String(counter).padStart(7, '0')}${'f'.repeat(33)}`, subject, body };
}

test('groups commits into breaking changes, features, fixes and other changes, in that order', () => {
  counter = 0;
  const commits = [
    commit('chore: bump deps'),
    commit('fix(api): handle empty body'),
    commit('feat: search endpoint'),
    commit('feat!: drop the v1 API'),
    commit('refactor: rename flag', 'BREAKING CHANGE: --old is gone'),
    commit('feat(ui): dark mode'),
    commit('Update README'),
  ];
  expect(renderChangelog('2.0.0', '2026-11-26', commits)).toBe(
    [
      '## 2.0.0 (2026-11-26)',
      '',
      '### Breaking changes',
      '',
      '- feat!: drop the v1 API (0000004)',
      '- refactor: rename flag (0000005)',
      '',
      '### Features',
      '',
      '- feat: search endpoint (0000003)',
      '- feat(ui): dark mode (0000006)',
      '',
      '### Fixes',
      '',
      '- fix(api): handle empty body (0000002)',
      '',
      '### Other changes',
      '',
      '- chore: bump deps (0000001)',
      '- Update README (0000007)',
      '',
    ].join('\n'),
  );
});

test('a breaking feature is listed once, under breaking changes only', () => {
  const text = renderChangelog('3.0.0', '2026-01-01', [commit('feat!: new config format')]);
  expect(text.match(/new config format/g)).toHaveLength(1);
  expect(text).toContain('### Breaking changes');
  expect(text).not.toContain('### Features');
});

test('sections without commits are left out', () => {
  const text = renderChangelog('1.2.4', '2026-01-01', [commit('fix: typo')]);
  expect(text).toBe(`## 1.2.4 (2026-01-01)\n\n### Fixes\n\n- fix: typo (${text.match(/\((\w{7})\)/)![1]})\n`);
  expect(text).not.toMatch(/Breaking|Features|Other/);
});

test('no commits: says so under the heading', () => {
  expect(renderChangelog('0.1.0', '2026-01-01', [])).toBe('## 0.1.0 (2026-01-01)\n\nNo commits since the previous release.\n');
});

test('the commit sha is shortened to 7 characters', () => {
  const text = renderChangelog('1.0.0', '2026-01-01', [{ sha: 'abcdef0123456789abcdef0123456789abcdef01', subject: 'feat: x', body: '' }]);
  expect(text).toContain('- feat: x (abcdef0)\n');
});

test('with the repository URL, "(#123)" links to the pull request and the short sha to the commit', () => {
  const sha = 'abcdef0123456789abcdef0123456789abcdef01';
  const text = renderChangelog('1.3.0', '2026-01-01', [{ sha, subject: 'feat: search (#123)', body: '' }, { sha, subject: 'fix: see #9 and (#10)', body: '' }], 'https://github.com/acme/shop');
  expect(text).toContain(`- feat: search ([#123](https://github.com/acme/shop/pull/123)) ([abcdef0](https://github.com/acme/shop/commit/${sha}))\n`);
  // Only the "(#N)" form GitHub's squash merges write is a pull request reference.
  expect(text).toContain(`- fix: see #9 and ([#10](https://github.com/acme/shop/pull/10)) ([abcdef0](https://github.com/acme/shop/commit/${sha}))\n`);
});

test('without the repository URL, a pull request reference stays plain text', () => {
  const text = renderChangelog('1.3.0', '2026-01-01', [{ sha: 'abcdef0123456789abcdef0123456789abcdef01', subject: 'feat: search (#123)', body: '' }]);
  expect(text).toContain('- feat: search (#123) (abcdef0)\n');
});
