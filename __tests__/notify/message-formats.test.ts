import { describe, expect, test } from 'vitest';
import type { Deployment } from '../../src/engine/model.js';
import { describeNotification, notificationEvent, truncate, type NotificationEvent } from '../../src/notify/notification.js';
import { slackMessage } from '../../src/notify/slack-message.js';
import { teamsCard } from '../../src/notify/teams-card.js';
import { recorded, SCENARIO_NAMES } from '../fixtures/deployments/scenarios.js';
import { slackProblems, teamsProblems } from './message-shapes.js';

const ENV = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/web', GITHUB_RUN_ID: '42' };

function eventOf(d: Deployment, mask: (text: string) => string = (text) => text): NotificationEvent {
  return notificationEvent(d.result === 'success' ? 'finished' : 'alert', d, { env: ENV, mask, now: Date.parse(d.startedAt) + 90_000 });
}

/** A deployment whose every user-controlled text is far over every limit. */
function enormous(): Deployment {
  const d = recorded('rollback-failed');
  d.target = `t${'x'.repeat(400)}`;
  d.reason = `health failed: ${'<b>&'.repeat(5000)}`;
  d.manualRollback = `meta-deploy rollback ${'--to snapshot '.repeat(600)}`;
  d.environments = Array.from({ length: 300 }, (_, i) => (i % 2 ? 'staging' : 'production'));
  return d;
}

describe('the recorded deployments give messages the receivers accept', () => {
  test.each(SCENARIO_NAMES)('%s', (name) => {
    const facts = describeNotification(eventOf(recorded(name)));
    expect(slackProblems(slackMessage(facts))).toEqual([]);
    expect(teamsProblems(teamsCard(facts))).toEqual([]);
  });

  test('texts far over every limit are cut to fit', () => {
    const facts = describeNotification(eventOf(enormous()));
    expect(slackProblems(slackMessage(facts))).toEqual([]);
    expect(teamsProblems(teamsCard(facts))).toEqual([]);
  });
});

describe('what the messages say', () => {
  test('success: target, version, previous, environments, result, duration and the run link', () => {
    const facts = describeNotification(eventOf(recorded('success')));
    expect(facts.title).toBe('✅ web 1.1.0 deployed to staging and production');
    expect(facts.fields).toEqual([
      { label: 'Target', value: 'web' },
      { label: 'Version', value: '1.1.0' },
      { label: 'Previous', value: '1.0.0' },
      { label: 'Environments', value: 'staging, production' },
      { label: 'Result', value: 'SUCCESS' },
      { label: 'Duration', value: expect.stringMatching(/^\d/) as unknown as string },
    ]);
    expect(facts.runUrl).toBe('https://github.com/acme/web/actions/runs/42');
    expect(facts.alert).toBeUndefined();
  });

  test('a finalize message of a run still going gets its duration so far', () => {
    const d = recorded('success');
    delete d.durationMs;
    expect(describeNotification(eventOf(d)).fields.find((f) => f.label === 'Duration')?.value).toBe('1m 30s');
  });

  test('an ALERT names the result, the failed stage and the reason, and the manual command when the rollback failed', () => {
    const rolledBack = describeNotification(eventOf(recorded('production-health-rollback')));
    expect(rolledBack.title).toBe('🚨 ALERT: web 1.1.0 ROLLED BACK at Production');
    expect(rolledBack.alert).toMatchObject({ stage: 'Production', reason: expect.stringContaining('') as unknown as string });
    const slack = JSON.stringify(slackMessage(rolledBack).blocks);
    expect(slack).toContain('*Failed stage:* Production');
    const failed = recorded('rollback-failed');
    const facts = describeNotification(eventOf(failed));
    expect(facts.title).toMatch(/^🚨 ALERT: default 1\.1\.0 FAILED at \w+ — roll back by hand$/);
    expect(JSON.stringify(slackMessage(facts).blocks)).toContain('Roll back by hand');
    expect(JSON.stringify(teamsCard(facts))).toContain(JSON.stringify(failed.manualRollback).slice(1, -1));
  });

  test('Slack control characters in values are escaped, so a value can make no link or mention', () => {
    const d = recorded('production-health-rollback');
    d.reason = 'got <!channel> & <https://evil.example|click>';
    const text = JSON.stringify(slackMessage(describeNotification(eventOf(d))).blocks);
    expect(text).toContain('got &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;');
    expect(text).not.toContain('<!channel>');
  });

  test('secrets are masked before any format sees the deployment', () => {
    const d = recorded('production-health-rollback');
    d.reason = 'health failed: token s3cr3t-t0ken rejected';
    const event = eventOf(d, (text) => text.split('s3cr3t-t0ken').join('***'));
    for (const body of [slackMessage(describeNotification(event)), teamsCard(describeNotification(event))]) {
      expect(JSON.stringify(body)).not.toContain('s3cr3t-t0ken');
    }
  });
});

test('truncate cuts to the limit with an ellipsis and never splits a character', () => {
  expect(truncate('abcdef', 6)).toBe('abcdef');
  expect(truncate('abcdefg', 6)).toBe('abcde…');
  expect(truncate('ab😀😀', 4)).toBe('ab…');
});
