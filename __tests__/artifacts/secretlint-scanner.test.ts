import { randomInt } from 'node:crypto';
import { lintSource } from '@secretlint/core';
import { creator } from '@secretlint/secretlint-rule-preset-recommend';
import presetPackage from '@secretlint/secretlint-rule-preset-recommend/package.json' with { type: 'json' };
import { expect, test } from 'vitest';
import { DECLARED_CREDENTIAL_RULE } from '../../src/artifacts/scan-file.js';
import { AWS_ANCHORS, AWS_RULE, loadSecretlint } from '../../src/artifacts/secretlint-scanner.js';
import { SECRET_RULE_IDS } from '../../src/config/secret-rule-ids.js';
import type { TextWindow } from '../../src/artifacts/text-windows.js';
import { plantedSecrets } from '../support/planted-secrets.js';

const window = (text: string): TextWindow => ({ text, ownedFrom: 0, ownedTo: text.length, start: 0 });

/** The whole preset on every window, as secretlint's own CLI runs it: what the gated scanner must equal. */
async function fullPreset(text: string) {
  const config = { rules: [{ id: creator.meta.id, rule: creator, rules: [{ id: AWS_RULE, options: { enableIDScanRule: true } }] }] };
  const result = await lintSource({ source: { filePath: 'artifact', content: text, contentType: 'text', ext: '' }, options: { config, noPhysicFilePath: true } });
  return result.messages.map((message) => ({ index: message.range[0], length: message.range[1] - message.range[0], rule: message.ruleId })).sort((a, b) => a.index - b.index);
}

test('AWS_ANCHORS was written for this preset version: an upgrade must re-check it against the AWS rule patterns', () => {
  expect(presetPackage.version).toBe('13.1.0');
  expect(creator.rules.map((rule) => rule.meta.id)).toContain(AWS_RULE);
});

test('each form of AWS credential carries an anchor, and the gated scanner finds exactly what the whole preset finds', async () => {
  const digits = () => String(randomInt(1e11, 1e12 - 1)).padStart(12, '0');
  const key = 'abcdefghijklmnopqrstABCDEFGHIJKLMNOPQRST/+01';
  // Ending in a letter: the rule wants a word boundary after the key.
  const secret = `${Array.from({ length: 39 }, () => key[randomInt(key.length)]).join('')}Q`;
  const forms = [
    ...plantedSecrets().map((planted) => planted.text),
    `ASIA${'QWERTYUIOPASDFGH'}`,
    `A3TX${'QWERTYUIOPASDFGH'}`,
    `SECRET_ACCESS_KEY=${secret}`,
    `"Secret_Access_Key": "${secret}"`,
    `aws_secret_access_key => '${secret}'`,
    `AWS_ACCOUNT_ID=${digits()}`,
    `"account": "${digits().slice(0, 4)}-${digits().slice(0, 4)}-${digits().slice(0, 4)}"`,
    `Account_Id: ${digits()}`,
  ];
  const scanner = await loadSecretlint();
  for (const form of forms) {
    const text = `var a=1;\n${form}\nvar b=2;\n`;
    const gated = (await scanner.scan(window(text))).sort((a, b) => a.index - b.index);
    expect(gated, form).toEqual(await fullPreset(text));
    expect(gated.length, form).toBeGreaterThan(0);
    if (gated.some((match) => match.rule === AWS_RULE)) expect(AWS_ANCHORS.test(text), form).toBe(true);
  }
});

test('a window without an anchor gives the same result as the whole preset', async () => {
  const scanner = await loadSecretlint();
  const github = plantedSecrets().find((planted) => planted.name === 'GitHub token')!;
  const text = `function f(){return 1}\nvar t="${github.secret}";\n`;
  expect(AWS_ANCHORS.test(text)).toBe(false);
  expect(await scanner.scan(window(text))).toEqual(await fullPreset(text));
  expect(await scanner.scan(window('nothing to see here'))).toEqual([]);
});

test('a window whose text starts with U+FEFF (a BOM, or one mid-file at a window start): matches point at the secret itself', async () => {
  const scanner = await loadSecretlint();
  const github = plantedSecrets().find((planted) => planted.name === 'GitHub token')!;
  const text = `\uFEFFvar t="${github.secret}";\n`;
  const [match] = await scanner.scan(window(text));
  expect(text.slice(match!.index, match!.index + match!.length)).toBe(github.secret);
});

test('SECRET_RULE_IDS (what build.secrets-allow may name) are the rules the scan reports under', async () => {
  const reporting = creator.rules.map((rule) => rule.meta.id).filter((id) => id !== '@secretlint/secretlint-rule-filter-comments');
  expect(SECRET_RULE_IDS).toEqual([...reporting, DECLARED_CREDENTIAL_RULE]);
});
