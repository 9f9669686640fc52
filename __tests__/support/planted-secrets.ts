// Real-looking credentials generated at run time (so no test file holds one): the formats secretlint's
// recommended rules recognise. Fresh random values each run, so a test that finds one in an output really leaked it.
import { randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = `${UPPER}abcdefghijklmnopqrstuvwxyz0123456789`;

function pick(alphabet: string, length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

export interface PlantedSecret {
  name: string;
  /** The scanner's rule id expected to name it. */
  rule: string;
  /** The text to write (may span lines). */
  text: string;
  /** The part that must never appear in any output. */
  secret: string;
}

export function plantedSecrets(): PlantedSecret[] {
  const awsId = `AKIA${pick(`${UPPER}234567`, 16)}`;
  // The rule wants a word boundary after the key: it ends with a letter or digit (as most real keys do).
  const awsSecret = `${pick(`${ALNUM}/+`, 39)}${pick(ALNUM, 1)}`;
  const github = `ghp_${pick(ALNUM, 36)}`;
  const slack = `https://hooks.slack.com/services/T${pick(UPPER, 8)}/B${pick(UPPER, 8)}/${pick(ALNUM, 24)}`;
  // DER (ASN.1 SEQUENCE) keys start "MI" in base64: the rule checks it to tell keys from placeholders.
  const body = `MIIEow${Array.from({ length: 6 }, () => pick(`${ALNUM}+/`, 64)).join('\n')}`;
  const pem = [`-----BEGIN ${'RSA PRIVATE'} KEY-----`, body, `-----END ${'RSA PRIVATE'} KEY-----`].join('\n');
  return [
    { name: 'AWS access key id', rule: '@secretlint/secretlint-rule-aws', text: `const id = "${awsId}";`, secret: awsId },
    { name: 'AWS secret access key', rule: '@secretlint/secretlint-rule-aws', text: `aws_secret_access_key = "${awsSecret}"`, secret: awsSecret },
    { name: 'GitHub token', rule: '@secretlint/secretlint-rule-github', text: `var t="${github}";`, secret: github },
    { name: 'Slack webhook', rule: '@secretlint/secretlint-rule-slack', text: `post("${slack}")`, secret: slack },
    { name: 'private key', rule: '@secretlint/secretlint-rule-privatekey', text: pem, secret: body.split('\n')[0]! },
  ];
}
