// A `command:` metric, for any backend with a CLI (Datadog, CloudWatch, New Relic): the command runs at each look,
// like every other command (its own process group, a time limit, output masked and streamed to the log; placeholders
// and the window bounds are variables, never shell text) and prints both windows as JSON on stdout:
//   {"before": [12.1, 13.4, …], "after": [12.8, …]}          values, compared by distribution
//   {"before": {"errors": 3, "total": 1200}, "after": {…}}      counts, for a rate limit
// A failed, timed-out or malformed run is NoData with the reason, never a crash.
import type { MetricConfig } from '../config/types.js';
import { commandSucceeded, describeExit } from '../exec/describe-exit.js';
import { placeholderEnv, toShellCommand, type Placeholders } from '../exec/placeholders.js';
import type { ProcessRunner } from '../exec/types.js';
import type { MetricReading, MetricSource, VerifyTimes } from './source.js';
import type { MetricSamples, NoData } from './verdict.js';
import { COMMAND_WINDOW_VARIABLES, windowEnv } from './window-placeholders.js';

export interface CommandSourceDeps {
  runner: ProcessRunner;
  placeholders: Placeholders;
  workspace: string;
}

/** More stdout than this is not a figure list. */
const MAX_STDOUT_CHARS = 1024 * 1024;

export function commandSource(metric: MetricConfig & { command: string }, intervalMs: number, deps: CommandSourceDeps): MetricSource {
  const command = toShellCommand(metric.command, COMMAND_WINDOW_VARIABLES);
  const wants = metric.limit.kind === 'rate' ? 'counts' : 'values';
  return {
    name: metric.name,
    source: 'command',
    unit: metric.unit,
    limit: metric.limit,
    minSamples: metric.minSamples,
    async read(times: VerifyTimes, signal: AbortSignal): Promise<MetricReading> {
      const stdout: string[] = [];
      let size = 0;
      const result = await deps.runner(
        {
          command,
          cwd: deps.workspace,
          env: { ...placeholderEnv(deps.placeholders), ...windowEnv(times, intervalMs) },
          timeoutMs: metric.timeoutMs,
          label: `verify/${metric.name}`,
        },
        {
          signal,
          onLine: (line, stream) => {
            if (stream !== 'stdout' || size > MAX_STDOUT_CHARS) return;
            size += line.length + 1;
            stdout.push(line);
          },
        },
      );
      const failed = (reason: string): MetricReading => ({ before: { noData: reason }, after: { noData: reason } });
      if (!commandSucceeded(result)) return failed(`command: ${describeExit(result, metric.timeoutMs)}`);
      if (size > MAX_STDOUT_CHARS) return failed(`command: printed more than ${MAX_STDOUT_CHARS} characters; expected ${FORMAT}`);
      return parseReading(stdout.join('\n'), wants, metric.scale);
    },
  };
}

const FORMAT = '{"before": [numbers] or {"errors": n, "total": n}, "after": the same}';

/** Either side may fail on its own; the whole output fails when it is not the JSON object both sides live in. */
function parseReading(stdout: string, wants: 'values' | 'counts', scale: number): MetricReading {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    const reason = { noData: `command: output is not JSON (${describeOutput(stdout)}); expected ${FORMAT}` };
    return { before: reason, after: reason };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const reason = { noData: `command: output is not a JSON object; expected ${FORMAT}` };
    return { before: reason, after: reason };
  }
  const record = parsed as Record<string, unknown>;
  return { before: parseSide(record['before'], 'before', wants, scale), after: parseSide(record['after'], 'after', wants, scale) };
}

function parseSide(value: unknown, side: string, wants: 'values' | 'counts', scale: number): MetricSamples | NoData {
  const invalid = (why: string): NoData => ({ noData: `command: "${side}" ${why}` });
  if (value === undefined) return invalid(`is missing; expected ${FORMAT}`);
  if (wants === 'values') {
    if (!Array.isArray(value)) return invalid('must be a list of numbers (this metric has a ratio limit)');
    const bad = value.findIndex((item) => typeof item !== 'number' || !Number.isFinite(item));
    if (bad !== -1) return invalid(`[${bad}] is ${JSON.stringify(value[bad]) ?? 'undefined'}, not a number`);
    return { kind: 'values', values: (value as number[]).map((item) => item * scale) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid('must be {"errors": n, "total": n} (this metric has a rate limit)');
  }
  const { errors, total } = value as Record<string, unknown>;
  const count = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (!count(errors) || !count(total)) return invalid(`needs whole numbers "errors" and "total", got ${JSON.stringify(value)}`);
  if (errors > total) return invalid(`has more errors (${errors}) than total (${total})`);
  return { kind: 'counts', events: errors, total };
}

function describeOutput(stdout: string): string {
  const flat = stdout.replace(/\s+/g, ' ').trim();
  if (flat === '') return 'it printed nothing';
  return `it printed ${JSON.stringify(flat.length > 80 ? `${flat.slice(0, 80)}…` : flat)}`;
}
