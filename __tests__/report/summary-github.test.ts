import { describe, expect, test } from 'vitest';
import type { Deployment } from '../../src/engine/model.js';
import { renderSummary } from '../../src/report/summary.js';
import { recorded } from '../fixtures/deployments/scenarios.js';

/** The recorded success, as if the GitHub features had run alongside it. */
function withGitHub(): Deployment {
  const d = recorded('success');
  d.github = {
    repository: 'acme/shop',
    runUrl: 'https://github.com/acme/shop/actions/runs/42',
    deployments: [
      { environment: 'staging', id: 101, state: 'success', url: 'https://github.com/acme/shop/deployments/staging' },
      { environment: 'production', id: 102, state: 'success', url: 'https://github.com/acme/shop/deployments/production', createdByJob: true },
    ],
    comment: { url: 'https://github.com/acme/shop/pull/7#issuecomment-9', pullRequest: 7, edits: 5 },
    release: { tag: 'v1.1.0', url: 'https://github.com/acme/shop/releases/tag/v1.1.0', status: 'passed', detail: 'created' },
    apiCalls: 17,
  };
  Object.assign(d.stages.validate.data!.review.approvals, {
    required: 1,
    approved: 2,
    approvers: ['alice', 'bob_b'],
    pullRequest: { number: 7, url: 'https://github.com/acme/shop/pull/7' },
    status: 'passed',
  });
  return d;
}

describe('GitHub facts in the job summary', () => {
  test('deployments with links and states, approvers, release, PR comment and the run, right under the table', () => {
    const md = renderSummary(withGitHub());
    expect(md).toContain(
      [
        '### GitHub',
        '',
        '| Environment | Deployment | State |',
        '|-------------|------------|-------|',
        '| staging | [#101](https://github.com/acme/shop/deployments/staging) | ✅ success |',
        "| production | [#102](https://github.com/acme/shop/deployments/production) | ✅ success (the job's own deployment) |",
        '',
        '- **Approved by:** alice, bob\\_b on [#7](https://github.com/acme/shop/pull/7)',
        '- ✓ **Release:** [v1.1.0](https://github.com/acme/shop/releases/tag/v1.1.0) — created',
        '- **Pull request comment:** [on #7](https://github.com/acme/shop/pull/7#issuecomment-9) (5 edits)',
        '- [Run on acme/shop](https://github.com/acme/shop/actions/runs/42) · 17 GitHub API calls',
      ].join('\n'),
    );
    expect(md.indexOf('### GitHub')).toBeGreaterThan(md.indexOf('## Deployment Summary'));
    expect(md.indexOf('### GitHub')).toBeLessThan(md.indexOf('### Stage details'));
  });

  test('a rolled-back run links its alert issue and shows the failed deployment', () => {
    const d = withGitHub();
    d.github!.deployments[1]!.state = 'failure';
    d.github!.alertIssue = { url: 'https://github.com/acme/shop/issues/12', number: 12, action: 'opened' };
    const md = renderSummary(d);
    expect(md).toContain('| production | [#102](https://github.com/acme/shop/deployments/production) | ❌ failure');
    expect(md).toContain('- **Alert issue:** [#12](https://github.com/acme/shop/issues/12) opened');
  });

  test('a URL that is not http(s) is never made a link, and a ) cannot end one early', () => {
    const d = withGitHub();
    d.github!.deployments[0]!.url = 'javascript:alert(1)';
    d.github!.release!.url = 'https://github.com/acme/shop/releases/tag/v1.1.0)evil(';
    const md = renderSummary(d);
    expect(md).not.toContain('](javascript:');
    expect(md).toContain('(https://github.com/acme/shop/releases/tag/v1.1.0%29evil%28)');
  });

  test('no GitHub section without GitHub facts; the notifications sent are listed either way', () => {
    const md = renderSummary(recorded('success'));
    expect(md).not.toContain('### GitHub');
    expect(md).toMatch(/^\*\*Notifications:\*\* ✓ webhook \(DEPLOY\\_WEBHOOK\) — sent \(HTTP 204\)$/m);
  });
});
