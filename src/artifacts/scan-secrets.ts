// Looks for credentials inside the artifacts before they ship: secretlint's recommended rules (AWS key ids on), the
// exact values of the credentials this run was given, and files that are credentials by name. Files are streamed in
// overlapping windows (text-windows.ts) so memory stays flat; a file that cannot be scanned (binary content) is
// listed with the reason, never skipped silently. Findings carry file, line and rule; the secret is masked.
import { basename, join } from 'node:path';
import picomatch from 'picomatch';
import type { ArtifactRecord, SecretFindingRecord, SecretScanRecord } from '../engine/model.js';
import { forEachTextWindow, type TextWindow, type WindowOptions, WINDOW_DEFAULTS } from './text-windows.js';

export const DECLARED_CREDENTIAL_RULE = 'meta-deploy/declared-credential';
export const CREDENTIALS_FILE_RULE = 'meta-deploy/credentials-file';

const SECRET_FILE_NAMES = [/^\.env(\..+)?$/, /^id_(rsa|dsa|ecdsa|ed25519)$/, /\.pem$/, /^\.npmrc$/, /^\.netrc$/];

export interface ScanOptions {
  /** The values of the run's declared credentials (validate.prerequisites.env). */
  knownSecrets: string[];
  /** build.secrets-allow: artifact paths (globs) or rule ids. */
  allow: string[];
  window?: WindowOptions;
}

/** First 4 characters and an ellipsis: enough to recognise, never the secret. */
export function maskSecret(secret: string): string {
  return `${secret.slice(0, Math.min(4, Math.floor(secret.length / 4)))}…`;
}

type WindowScanner = (window: TextWindow) => Promise<{ index: number; length: number; rule: string }[]>;

/** secretlint with the recommended preset, loaded only when there is something to scan (it is large). */
async function loadSecretlint(): Promise<{ scanner: string; scan: WindowScanner }> {
  const [{ lintSource }, { secretLintProfiler }, { creator }, { default: core }] = await Promise.all([
    import('@secretlint/core'),
    import('@secretlint/profiler'),
    import('@secretlint/secretlint-rule-preset-recommend'),
    import('@secretlint/core/package.json', { with: { type: 'json' } }),
  ]);
  // The profiler is on by default and keeps every performance mark of every call: scanning slows down as it goes
  // (a linear search over them per mark) and memory grows with the number of windows scanned.
  secretLintProfiler.setEnabled(false);
  const config = { rules: [{ id: creator.meta.id, rule: creator, rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true } }] }] };
  return {
    scanner: `secretlint ${core.version} (preset-recommend)`,
    async scan(window) {
      const result = await lintSource({
        source: { filePath: 'artifact', content: window.text, contentType: 'text', ext: '' },
        options: { config, noPhysicFilePath: true },
      });
      return result.messages.map((message) => ({ index: message.range[0], length: message.range[1] - message.range[0], rule: message.ruleId }));
    },
  };
}

function declaredValues(window: TextWindow, values: string[]): { index: number; length: number; rule: string }[] {
  const found: { index: number; length: number; rule: string }[] = [];
  for (const value of values) {
    for (let index = window.text.indexOf(value); index !== -1; index = window.text.indexOf(value, index + 1)) {
      found.push({ index, length: value.length, rule: DECLARED_CREDENTIAL_RULE });
    }
  }
  return found;
}

export async function scanSecrets(into: string, artifacts: ArtifactRecord[], options: ScanOptions): Promise<SecretScanRecord> {
  const started = performance.now();
  const values = [...new Set(options.knownSecrets.filter((secret) => secret.length >= 8))];
  const allowedPath = picomatch(options.allow, { dot: true });
  const allowed = (path: string, rule: string) => options.allow.includes(rule) || allowedPath(path);
  const record: SecretScanRecord = { scanner: 'secretlint (not loaded: no artifacts)', files: 0, bytes: 0, durationMs: 0, findings: [], unscanned: [] };
  const add = (finding: SecretFindingRecord) => record.findings.push(allowed(finding.path, finding.rule) ? { ...finding, allowed: true } : finding);
  const secretlint = artifacts.length ? await loadSecretlint() : undefined;
  if (secretlint) record.scanner = secretlint.scanner;

  for (const artifact of artifacts) {
    const name = basename(artifact.path);
    if (SECRET_FILE_NAMES.some((pattern) => pattern.test(name)) && !name.endsWith('.example')) {
      add({ path: artifact.path, line: 0, rule: CREDENTIALS_FILE_RULE, masked: `${name} (a credentials file by name)` });
    }
    const unscanned = await forEachTextWindow(
      join(into, artifact.path),
      async (window) => {
        const matches = [...(await secretlint!.scan(window)), ...declaredValues(window, values)];
        for (const match of matches.filter((found) => found.index >= window.ownedFrom && found.index < window.ownedTo)) {
          add({ path: artifact.path, line: window.lineAt(match.index), rule: match.rule, masked: maskSecret(window.text.slice(match.index, match.index + match.length)) });
        }
      },
      options.window ?? WINDOW_DEFAULTS,
    );
    if (unscanned) record.unscanned.push({ path: artifact.path, reason: unscanned });
    else {
      record.files++;
      record.bytes += artifact.size;
    }
  }
  record.durationMs = Math.round(performance.now() - started);
  return record;
}
