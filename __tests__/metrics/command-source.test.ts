// The command metric source with the real process runner: the window bounds and placeholders reach the command as
// variables (never shell text), its JSON is validated side by side, and a failing, hanging or chatty command is
// NoData with the reason, its output streamed masked like any command's.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { formatProblem } from '../../src/config/problems.js';
import { createMasker } from '../../src/exec/mask.js';
import type { Placeholders } from '../../src/exec/placeholders.js';
import { createProcessRunner } from '../../src/exec/run-command.js';
import { streamedRunner } from '../../src/exec/streamed-runner.js';
import { createHttpClient } from '../../src/exec/http-client.js';
import type { MetricReading, VerifyTimes } from '../../src/metrics/source.js';
import { metricSourcesFor } from '../../src/metrics/sources-for.js';

const PLACEHOLDERS: Placeholders = { target: 'web', version: '$(touch PWNED)', environment: 'production', url: 'http://127.0.0.1:1', snapshot: '', previous_version: '1.1.0', sha: '' };
const TIMES: VerifyTimes = { baselineFrom: 1_700_000_000_000, deployStartedAt: 1_700_000_300_500, deployedAt: 1_700_000_360_000, now: 1_700_000_420_999 };

let workspace: string;
beforeEach(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'meta-deploy-command-metric-'));
});
afterEach(async () => {
  await rm(workspace, { recursive: true, force: true });
});

async function read(metric: string, lines: string[] = []): Promise<MetricReading> {
  const result = parseConfig(
    `version: 1
environments:
  production: { deploy: ./deploy.sh, rollback: ./rollback.sh, health: { checks: [{ name: up, run: ./up.sh }] } }
verify:
  interval: 15s
  metrics:
    - ${metric}
`,
    'meta-deploy.yml',
  );
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  const verify = result.config.targets['default']?.verify;
  if (verify === undefined) throw new Error('no verify section');
  const runner = streamedRunner(createProcessRunner({ mask: createMasker(['s3cr3t-token']), killGraceMs: 200 }), {
    output: (label, line) => lines.push(`${label}: ${line}`),
  });
  const [source] = metricSourcesFor(verify, { http: createHttpClient(), runner, env: {}, placeholders: PLACEHOLDERS, workspace });
  if (source === undefined) throw new Error('no source');
  return source.read(TIMES, new AbortController().signal);
}

describe('command metrics', () => {
  test('values: the window bounds (epoch seconds) and the interval are variables; values are scaled by the unit', async () => {
    await writeFile(
      path.join(workspace, 'metrics.sh'),
      'echo "{\\"before\\": [$1, $2, $5], \\"after\\": [$3, $4, 0.25]}"\n',
    );
    const reading = await read("{ name: latency-p95, command: 'bash metrics.sh ${baseline_from} ${deploy_started_at} ${deployed_at} ${now} ${interval}' }");
    // latency-p95 defaults to seconds, shown in ms.
    expect(reading).toEqual({
      before: { kind: 'values', values: [1_700_000_000_000, 1_700_000_300_000, 15_000] },
      after: { kind: 'values', values: [1_700_000_360_000, 1_700_000_420_000, 250] },
    });
  });

  test('counts for a rate; placeholders are data to the shell, never code', async () => {
    const reading = await read(`{ name: error-rate, command: 'printf "%s" \${version} > version.txt; echo "{\\"before\\": {\\"errors\\": 2, \\"total\\": 900}, \\"after\\": {\\"errors\\": 40, \\"total\\": 800}}"' }`);
    expect(reading).toEqual({ before: { kind: 'counts', events: 2, total: 900 }, after: { kind: 'counts', events: 40, total: 800 } });
    expect(existsSync(path.join(workspace, 'PWNED'))).toBe(false);
  });

  test('malformed output is NoData with the reason, side by side', async () => {
    const cases: [string, MetricReading][] = [
      ['echo not json', { before: { noData: 'command: output is not JSON (it printed "not json"); expected {"before": [numbers] or {"errors": n, "total": n}, "after": the same}' }, after: { noData: 'command: output is not JSON (it printed "not json"); expected {"before": [numbers] or {"errors": n, "total": n}, "after": the same}' } }],
      ['true', { before: { noData: expect.stringContaining('it printed nothing') }, after: { noData: expect.stringContaining('it printed nothing') } }],
      ['echo [1,2]', { before: { noData: expect.stringContaining('output is not a JSON object') }, after: { noData: expect.stringContaining('output is not a JSON object') } }],
      ['echo \'{"before": [1, "2"], "after": [3]}\'', { before: { noData: 'command: "before" [1] is "2", not a number' }, after: { kind: 'values', values: [3] } }],
      ['echo \'{"before": ["12", 13], "after": [3]}\'', { before: { noData: 'command: "before" [0] is "12", not a number' }, after: { kind: 'values', values: [3] } }],
      ['echo \'{"before": [1]}\'', { before: { kind: 'values', values: [1] }, after: { noData: expect.stringContaining('"after" is missing') } }],
      ['echo \'{"before": {"errors": 1, "total": 5}, "after": [1]}\'', { before: { noData: 'command: "before" must be a list of numbers (this metric has a ratio limit)' }, after: { kind: 'values', values: [1] } }],
    ];
    for (const [command, expected] of cases) {
      expect(await read(`{ name: memory, command: ${JSON.stringify(command)} }`), command).toEqual(expected);
    }
    expect(await read(`{ name: error-rate, command: ${JSON.stringify('echo \'{"before": {"errors": 9, "total": 5}, "after": [1]}\'')} }`)).toEqual({
      before: { noData: 'command: "before" has more errors (9) than total (5)' },
      after: { noData: 'command: "after" must be {"errors": n, "total": n} (this metric has a rate limit)' },
    });
  });

  test('a failing command is NoData with its exit; a hanging one is killed at its timeout; output is streamed masked', async () => {
    const lines: string[] = [];
    expect(await read("{ name: cpu, command: 'echo using s3cr3t-token >&2; exit 3' }", lines)).toEqual({ before: { noData: 'command: exit 3' }, after: { noData: 'command: exit 3' } });
    expect(lines).toEqual(['verify/cpu: using ***']);
    const started = Date.now();
    expect(await read("{ name: cpu, command: 'sleep 30', timeout: 500ms }")).toEqual({
      before: { noData: 'command: timed out after 500ms (process group killed)' },
      after: { noData: 'command: timed out after 500ms (process group killed)' },
    });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
