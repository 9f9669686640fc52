import { describe, expect, test } from 'vitest';
import { commentMarker, renderPrComment } from '../../src/report/pr-comment.js';
import { renderSummary } from '../../src/report/summary.js';
import { SCENARIO_NAMES, SCENARIOS } from '../fixtures/deployments/scenarios.js';
import { buildSuccessDeployment } from '../fixtures/deployments/success.js';

describe('renderPrComment', () => {
  test.each(SCENARIO_NAMES)('matches the reviewed snapshot: %s', async (name) => {
    await expect(renderPrComment(SCENARIOS[name]())).toMatchFileSnapshot(`__snapshots__/pr-comment/${name}.md`);
  });

  test('carries its target marker exactly once, so the sticky comment is found and edited', () => {
    const body = renderPrComment(buildSuccessDeployment());
    expect(body.split(commentMarker('web'))).toHaveLength(2);
  });

  test('markers differ per target and are hidden HTML comments', () => {
    expect(commentMarker('web')).toBe('<!-- meta-deploy:target=web -->');
    expect(commentMarker('api')).not.toBe(commentMarker('web'));
    // `--` would end the HTML comment early.
    expect(commentMarker('a--b').slice('<!--'.length, -'-->'.length)).not.toContain('--');
  });

  test('is the compact form: the summary’s result block and Deployment Summary, without stage sections', () => {
    const d = buildSuccessDeployment();
    const body = renderPrComment(d);
    const summary = renderSummary(d);
    const table = summary.slice(summary.indexOf('## Deployment Summary'), summary.indexOf('**Deployment ID:**')).trim();
    expect(body.startsWith('## ✅ SUCCESS — web 1.2.3\n')).toBe(true);
    expect(body).toContain(table);
    expect(body).not.toContain('### Stage');
  });

  test('adds no links (no release URL, no markdown links)', () => {
    const body = renderPrComment(buildSuccessDeployment());
    expect(body).not.toContain('https://github.com/acme/web/releases');
    expect(body).not.toMatch(/\]\(/);
  });

  test('while the run goes on, the stage in progress reads "running" and the rest "pending"', () => {
    const body = renderPrComment(SCENARIOS['in-progress']());
    expect(body.split('\n')[0]).toBe('## ⏳ IN PROGRESS — web 1.2.3');
    expect(body).toContain('| Production | ⏳ running | — | — |');
    expect(body).toContain('| Verification | 🕒 pending | — | — |');
    expect(body).toContain('- Current: 1.2.2 — deployment of 1.2.3 in progress');
  });
});
