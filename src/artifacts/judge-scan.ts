// The secrets gate's verdict on a scan: a finding not in build.secrets-allow fails it, an allowed one warns (and is
// listed); a file that could not be scanned fails it or warns (build.unscanned), and is always named. Also the
// one-line account the reports show.
import { formatDuration, formatSize } from '../config/units.js';
import type { SecretFindingRecord, SecretScanRecord, StepStatus } from '../engine/model.js';

export function describeFinding(finding: SecretFindingRecord): string {
  const where = finding.line ? `${finding.path}:${finding.line}` : finding.path;
  return `${where} ${finding.rule} (${finding.masked})${finding.allowed ? ' allowed' : ''}`;
}

/** "3 files scanned (2.1 MiB in 0.4s), 1 unscanned: logo.png (binary content (NUL bytes))" */
export function describeScanCoverage(scan: SecretScanRecord): string {
  const threads = scan.workers > 0 ? `, ${scan.workers} worker thread${scan.workers === 1 ? '' : 's'}` : '';
  const scanned = `${scan.files} file${scan.files === 1 ? '' : 's'} scanned (${formatSize(scan.bytes)} in ${formatDuration(scan.durationMs)}${threads})`;
  if (scan.unscanned.length === 0) return scanned;
  return `${scanned}, ${scan.unscanned.length} unscanned: ${scan.unscanned.map((file) => `${file.path} (${file.reason})`).join(', ')}`;
}

export function judgeScan(scan: SecretScanRecord, unscanned: 'fail' | 'warn'): { status: StepStatus; detail: string } {
  const failing = scan.findings.filter((finding) => !finding.allowed);
  const allowed = scan.findings.filter((finding) => finding.allowed);
  const parts = [
    ...(failing.length ? [`${failing.length} secret${failing.length === 1 ? '' : 's'} found: ${failing.map(describeFinding).join('; ')}`] : []),
    describeScanCoverage(scan),
    ...(allowed.length ? [`${allowed.length} allowed by build.secrets-allow: ${allowed.map(describeFinding).join('; ')}`] : []),
  ];
  if (scan.unscanned.length && unscanned === 'fail') parts.push('build.unscanned is fail');
  // An allowed finding is a warning, not a pass: a string that looks like a secret does ship.
  const status = failing.length || (scan.unscanned.length && unscanned === 'fail') ? 'failed' : scan.unscanned.length || allowed.length ? 'warning' : 'passed';
  return { status, detail: parts.join('; ') };
}
