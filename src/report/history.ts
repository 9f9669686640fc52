// `meta-deploy history`: one line per recorded run, oldest first.
import { formatDuration } from '../config/units.js';
import type { DeploymentRecord } from '../engine/records.js';

export function renderHistory(records: DeploymentRecord[]): string {
  if (records.length === 0) return 'no deployments recorded yet\n';
  return records
    .map((record) => {
      const duration = record.durationMs === undefined ? '—' : formatDuration(record.durationMs);
      const where = record.deployedTo.join(',') || '-';
      const what = record.kind === 'rollback' ? `↩ ${record.version}` : record.version;
      return `${record.startedAt}  ${record.target}  ${what.padEnd(10)} ${record.result.padEnd(11)} ${duration.padStart(8)}  ${where}${record.reason ? `  ${record.reason}` : ''}\n`;
    })
    .join('');
}
