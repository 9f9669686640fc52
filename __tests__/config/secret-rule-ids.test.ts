// Which build.secrets-allow entries are read as rule ids (and so must name a rule of the scan): only the shape of one;
// every path glob, even one through a secretlint package, stays a path.
import { expect, test } from 'vitest';
import { looksLikeRuleId } from '../../src/config/secret-rule-ids.js';

test.each(['@secretlint/secretlint-rule-aws', 'secretlint-rule-aws', '@secretlint/secretlint-rule-gihtub', 'meta-deploy/declared-credential'])('%s is a rule id', (entry) => {
  expect(looksLikeRuleId(entry)).toBe(true);
});

test.each(['vendor/**', 'node_modules/@secretlint/secretlint-rule-aws/**', '**/secretlint-rule-*/test/**', 'meta-deploy/fixtures/**', 'fixtures/token.txt'])('%s is a path', (entry) => {
  expect(looksLikeRuleId(entry)).toBe(false);
});
