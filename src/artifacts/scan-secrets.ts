// Looks for credentials inside the artifacts before they ship: secretlint's recommended rules (AWS key ids on), the
// exact values of the credentials this run was given, and files that are credentials by name. Files are streamed in
// overlapping windows (text-windows.ts) so memory stays flat; a file that cannot be scanned (binary content) is
// listed with the reason, never skipped silently. Findings carry file, line and rule; the secret is masked.
import { basename, join } from 'node:path';
import picomatch from 'picomatch';
import type { ArtifactRecord, SecretFindingRecord, SecretScanRecord } from '../engine/model.js';
import { scanFiles } from './scan-pool.js';
import type { WindowOptions } from './text-windows.js';

export const CREDENTIALS_FILE_RULE = 'meta-deploy/credentials-file';
export { DECLARED_CREDENTIAL_RULE } from './scan-file.js';

const SECRET_FILE_NAMES = [/^\.env(\..+)?$/, /^id_(rsa|dsa|ecdsa|ed25519)$/, /\.pem$/, /^\.npmrc$/, /^\.netrc$/];

export interface ScanOptions {
  /** The values of the run's declared credentials (validate.prerequisites.env). */
  knownSecrets: string[];
  /** build.secrets-allow: artifact paths (globs) or rule ids. */
  allow: string[];
  window?: WindowOptions;
}

export async function scanSecrets(into: string, artifacts: ArtifactRecord[], options: ScanOptions): Promise<SecretScanRecord> {
  const started = performance.now();
  const values = [...new Set(options.knownSecrets.filter((secret) => secret.length >= 8))];
  const allowedPath = picomatch(options.allow, { dot: true });
  const allowed = (path: string, rule: string) => options.allow.includes(rule) || allowedPath(path);
  const record: SecretScanRecord = { scanner: 'secretlint (not loaded: no artifacts)', files: 0, bytes: 0, durationMs: 0, workers: 0, findings: [], unscanned: [] };
  const add = (finding: SecretFindingRecord) => record.findings.push(allowed(finding.path, finding.rule) ? { ...finding, allowed: true } : finding);
  const { scanner, scans, workers } = artifacts.length
    ? await scanFiles(
        artifacts.map((artifact) => ({ file: join(into, artifact.path), size: artifact.size })),
        values,
        options.window,
      )
    : { scanner: record.scanner, scans: [], workers: 0 };
  record.scanner = scanner;
  record.workers = workers;
  for (const [index, artifact] of artifacts.entries()) {
    const name = basename(artifact.path);
    if (SECRET_FILE_NAMES.some((pattern) => pattern.test(name)) && !name.endsWith('.example')) {
      add({ path: artifact.path, line: 0, rule: CREDENTIALS_FILE_RULE, masked: `${name} (a credentials file by name)` });
    }
    const scan = scans[index]!;
    for (const finding of scan.findings) add({ path: artifact.path, ...finding });
    if (scan.unscanned) record.unscanned.push({ path: artifact.path, reason: scan.unscanned });
    else {
      record.files++;
      record.bytes += artifact.size;
    }
  }
  record.durationMs = Math.round(performance.now() - started);
  return record;
}
