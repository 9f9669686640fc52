// Rules of `verify.prometheus` and `verify.metrics` the schema cannot express: a Prometheus metric needs the API's
// url, each metric has exactly one limit and one that fits its figures (a rate needs counts: `{errors, total}` or a
// command printing them; ratios need values), keys that would be ignored are errors, and placeholders name real
// things (`${interval}` in queries, the window bounds in commands).
import { COMMAND_WINDOW_PLACEHOLDERS, QUERY_PLACEHOLDERS } from '../metrics/window-placeholders.js';
import { checkAddress, sampleValues } from './check-address.js';
import { checkCommandPlaceholders, checkTextPlaceholders } from './check-placeholders.js';
import type { ConfigNode } from './config-node.js';
import { SEED_METRICS } from './defaults.js';
import type { PathProblem } from './problems.js';

const LIMIT_KINDS = [['max-ratio'], ['min-ratio'], ['max', 'max-increase']] as const;

export function checkMetrics(verify: ConfigNode, production: ConfigNode | undefined): PathProblem[] {
  const problems: PathProblem[] = [];
  const prometheus = verify.child('prometheus');
  const url = prometheus?.child('url');
  if (url !== undefined) {
    problems.push(...checkTextPlaceholders(url, { environment: production }), ...checkAddress(url, 'url', sampleValues(production?.child('url'))));
  }
  for (const metric of verify.child('metrics')?.items() ?? []) problems.push(...checkMetric(metric, prometheus !== undefined, production));
  return problems;
}

function checkMetric(metric: ConfigNode, hasPrometheus: boolean, production: ConfigNode | undefined): PathProblem[] {
  const problems: PathProblem[] = [];
  const prometheus = metric.child('prometheus');
  const command = metric.child('command');
  const counts = prometheus !== undefined && typeof prometheus.value !== 'string';
  const written = LIMIT_KINDS.filter((keys) => keys.some((key) => metric.has(key)));
  const name = metric.text('name') ?? '';
  // The limit that applies: the one written, else the seed metric's default, else a rate for {errors, total}.
  const seed = Object.hasOwn(SEED_METRICS, name) ? (name === 'error-rate' ? 'rate' : 'ratio') : undefined;
  const kind = written.length === 0 ? (seed ?? (counts ? 'rate' : undefined)) : written.length === 1 && written[0]?.[0] === 'max' ? 'rate' : 'ratio';

  if (written.length > 1) {
    const keys = written.flatMap((limit) => limit.filter((key) => metric.has(key)));
    problems.push({
      path: metric.path,
      anchor: 'value',
      message: `takes one limit, found ${keys.map((key) => `"${key}"`).join(' and ')}: max-ratio (higher is worse), min-ratio (lower is worse), or max/max-increase (a rate)`,
    });
  } else if (kind === undefined) {
    problems.push({
      path: metric.path,
      anchor: 'value',
      message:
        'needs a limit: max-ratio (higher is worse), min-ratio (lower is worse), or max/max-increase (a rate); ' +
        `only ${Object.keys(SEED_METRICS).join(', ')} and {errors, total} queries have a default`,
    });
  }

  if (prometheus !== undefined) {
    if (!hasPrometheus) {
      problems.push({ path: prometheus.path, anchor: 'key', message: 'a prometheus metric needs verify.prometheus.url: the Prometheus API to query' });
    }
    if (written.length <= 1 && kind !== undefined && counts !== (kind === 'rate')) {
      problems.push({
        path: prometheus.path,
        anchor: 'value',
        message: counts
          ? '{errors, total} gives counts, which a rate limit judges: use max/max-increase (or a single query for max-ratio/min-ratio)'
          : 'a rate limit (max/max-increase) needs counts: write prometheus as { errors: <failed requests>, total: <all requests> }',
      });
    }
    const queries = counts ? [prometheus.child('errors'), prometheus.child('total')] : [prometheus];
    const scope = { environment: production, extra: QUERY_PLACEHOLDERS };
    for (const query of queries) if (query !== undefined) problems.push(...checkTextPlaceholders(query, scope));
    const timeout = metric.child('timeout');
    if (timeout !== undefined) {
      problems.push({ path: timeout.path, anchor: 'key', message: '"timeout" applies only to command metrics (queries use verify.prometheus.timeout)' });
    }
  }
  if (command !== undefined) problems.push(...checkCommandPlaceholders(command, COMMAND_WINDOW_PLACEHOLDERS));

  const unit = metric.child('unit');
  if (unit !== undefined && kind === 'rate' && written.length <= 1) {
    problems.push({ path: unit.path, anchor: 'key', message: '"unit" does not apply to a rate (max/max-increase): a rate is a share of requests' });
  }
  return problems;
}
