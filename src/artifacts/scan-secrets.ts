// Looks for credentials inside the artifacts before they ship: well-known token formats and private keys, the exact
// values of the credentials this run was given, and files that are credentials by name.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ArtifactRecord } from '../engine/model.js';

export interface SecretFinding {
  path: string;
  kind: string;
  line: number;
}

const PATTERNS: { kind: string; pattern: RegExp }[] = [
  { kind: 'private key', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY( BLOCK)?-----/ },
  { kind: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b/ },
  { kind: 'Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/ },
  { kind: 'Slack webhook', pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]{20,}/ },
  { kind: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'Stripe live key', pattern: /\b[sr]k_live_[0-9A-Za-z]{20,}\b/ },
  { kind: 'npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
];

const SECRET_FILE_NAMES = [/^\.env(\..+)?$/, /^id_(rsa|dsa|ecdsa|ed25519)$/, /\.pem$/, /^\.npmrc$/, /^\.netrc$/];
const MAX_SCAN_BYTES = 5 * 1024 * 1024;

export async function scanSecrets(into: string, artifacts: ArtifactRecord[], knownSecrets: string[]): Promise<SecretFinding[]> {
  // Files are read as latin1 (any bytes decode); compare the secrets' UTF-8 bytes the same way.
  const values = knownSecrets.filter((secret) => secret.length >= 8).map((secret) => Buffer.from(secret).toString('latin1'));
  const findings: SecretFinding[] = [];
  for (const artifact of artifacts) {
    const name = basename(artifact.path);
    if (SECRET_FILE_NAMES.some((pattern) => pattern.test(name)) && !name.endsWith('.example')) {
      findings.push({ path: artifact.path, kind: 'credentials file', line: 0 });
    }
    if (artifact.size > MAX_SCAN_BYTES) continue;
    const text = await readFile(join(into, artifact.path), 'latin1');
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      for (const { kind, pattern } of PATTERNS) if (pattern.test(line)) findings.push({ path: artifact.path, kind, line: index + 1 });
      if (values.some((value) => line.includes(value))) findings.push({ path: artifact.path, kind: 'value of a declared credential', line: index + 1 });
    });
  }
  return findings;
}
