import { test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { SCENARIOS } from '../fixtures/deployments/scenarios.js';
import { renderSummary } from '../../src/report/summary.js';
test('scratch', () => {
  for (const [name, build] of Object.entries(SCENARIOS)) writeFileSync(`/tmp/summary-${name}.md`, renderSummary(build()));
});
