import { test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { SCENARIOS } from '../fixtures/deployments/scenarios.js';
import { renderSummary } from '../../src/report/summary.js';
test('scratch', () => {
  for (const [name, build] of Object.entries(SCENARIOS)) writeFileSync(`/tmp/summary-${name}.md`, renderSummary(build()));
});
import { renderPlan } from '../../src/report/plan.js';
import { buildPlan, buildStagingOnlyPlan } from '../fixtures/deployments/plan.js';
test('plan', () => { writeFileSync('/tmp/plan.txt', renderPlan(buildPlan()) + '\n-----\n' + renderPlan(buildStagingOnlyPlan())); });
