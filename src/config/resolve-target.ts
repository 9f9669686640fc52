// One target's merged config → the typed TargetConfig every later layer reads: defaults filled in, durations in
// milliseconds, sizes in bytes, and each list item tagged with the config path it was written at.
import type { MetricLimit, MetricUnit } from '../metrics/verdict.js';
import { CONFIG_DEFAULTS, SEED_METRICS, type SeedMetric, type SeedMetricName } from './defaults.js';
import { parseCommandRequirement } from './command-requirement.js';
import { formatConfigPath } from './config-path.js';
import type { ConfigNode } from './config-node.js';
import type {
  BuildConfig,
  CheckCategory,
  CheckConfig,
  EnvironmentConfig,
  EnvironmentName,
  FinalizeConfig,
  MetricConfig,
  NotifyConfig,
  PollConfig,
  PrerequisitesConfig,
  PrometheusConfig,
  ProviderKind,
  ReviewCheckConfig,
  TargetConfig,
  TestConfig,
  ValidateConfig,
  VerifyConfig,
} from './types.js';

/** `root` must already have passed the schema and checkTarget. */
export function resolveTarget(name: string, root: ConfigNode): TargetConfig {
  const verify = root.child('verify');
  return {
    name,
    validate: resolveValidate(root.child('validate')),
    build: resolveBuild(root.child('build')),
    environments: resolveEnvironments(root.child('environments')),
    ...(verify === undefined ? {} : { verify: resolveVerify(verify) }),
    finalize: resolveFinalize(root.child('finalize')),
  };
}

function resolveValidate(node: ConfigNode | undefined): ValidateConfig {
  const review = node?.child('review');
  return {
    tests: items(node?.child('tests')).map(resolveTest),
    review: {
      approvals: review?.number('approvals') ?? CONFIG_DEFAULTS.approvals,
      noPullRequest: review?.text('no-pull-request') === 'pass' ? 'pass' : CONFIG_DEFAULTS.noPullRequest,
      checks: items(review?.child('checks')).map(resolveReviewCheck),
    },
    prerequisites: resolvePrerequisites(node?.child('prerequisites')),
  };
}

function resolveTest(node: ConfigNode): TestConfig {
  return { ...resolveCommandStep(node), ...optional('junit', node.text('junit')) };
}

function resolveReviewCheck(node: ConfigNode): ReviewCheckConfig {
  return { ...resolveCommandStep(node), category: required(node.text('category'), node, 'category') as CheckCategory };
}

function resolveCommandStep(node: ConfigNode): { name: string; run: string; at: string; timeoutMs: number } {
  return {
    name: required(node.text('name'), node, 'name'),
    run: required(node.text('run'), node, 'run'),
    at: formatConfigPath(node.path),
    timeoutMs: node.duration('timeout') ?? CONFIG_DEFAULTS.validateTimeoutMs,
  };
}

function resolvePrerequisites(node: ConfigNode | undefined): PrerequisitesConfig {
  return {
    env: node?.texts('env') ?? [],
    commands: (node?.texts('commands') ?? []).map(parseCommandRequirement),
    files: node?.texts('files') ?? [],
    ...optional('diskBytes', node?.size('disk')),
    reachable: node?.texts('reachable') ?? [],
  };
}

function resolveBuild(node: ConfigNode | undefined): BuildConfig {
  return {
    ...optional('run', node?.text('run')),
    artifacts: node?.texts('artifacts') ?? [],
    ...optional('maxSizeBytes', node?.size('max-size')),
    secretsScan: node?.flag('secrets-scan') ?? CONFIG_DEFAULTS.secretsScan,
    secretsAllow: node?.texts('secrets-allow') ?? [],
    unscanned: (node?.text('unscanned') as BuildConfig['unscanned'] | undefined) ?? CONFIG_DEFAULTS.unscanned,
    keep: node?.number('keep') ?? CONFIG_DEFAULTS.keep,
    timeoutMs: node?.duration('timeout') ?? CONFIG_DEFAULTS.buildTimeoutMs,
    verifyBeforeDeploy: (node?.text('verify-before-deploy') ?? CONFIG_DEFAULTS.verifyBeforeDeploy) as BuildConfig['verifyBeforeDeploy'],
    upload: {
      name: node?.child('upload')?.text('name') ?? CONFIG_DEFAULTS.uploadName,
      ...optional('retentionDays', node?.child('upload')?.number('retention-days')),
    },
  };
}

function resolveEnvironments(node: ConfigNode | undefined): TargetConfig['environments'] {
  const environments: TargetConfig['environments'] = {};
  const staging = node?.child('staging');
  if (staging !== undefined) environments.staging = resolveEnvironment('staging', staging);
  const production = node?.child('production');
  if (production !== undefined) environments.production = resolveEnvironment('production', production);
  return environments;
}

function resolveEnvironment(name: EnvironmentName, node: ConfigNode): EnvironmentConfig {
  // Staging always has smoke checks and production health checks (possibly none), with their own defaults.
  const poll =
    name === 'staging'
      ? { smoke: resolvePoll(node, 'smoke', CONFIG_DEFAULTS.stagingSmoke) }
      : { health: resolvePoll(node, 'health', CONFIG_DEFAULTS.productionHealth) };
  return {
    name,
    ...optional('url', node.text('url')),
    provider: (node.text('provider') ?? CONFIG_DEFAULTS.provider) as ProviderKind,
    ...optional('deploy', node.text('deploy')),
    ...optional('rollback', node.text('rollback')),
    ...optional('snapshot', node.text('snapshot')),
    ...optional('path', node.text('path')),
    keep: node.number('keep') ?? CONFIG_DEFAULTS.keep,
    commandTimeoutMs: node.duration('command-timeout') ?? CONFIG_DEFAULTS.commandTimeoutMs,
    requires: node.texts('requires'),
    ...poll,
    at: formatConfigPath(node.path),
  };
}

function resolvePoll(environment: ConfigNode, key: string, defaults: { timeoutMs: number; intervalMs: number }): PollConfig {
  const node = environment.child(key);
  return {
    timeoutMs: node?.duration('timeout') ?? defaults.timeoutMs,
    intervalMs: node?.duration('interval') ?? defaults.intervalMs,
    failureThreshold: node?.number('failure-threshold') ?? CONFIG_DEFAULTS.pollFailureThreshold,
    successThreshold: node?.number('success-threshold') ?? CONFIG_DEFAULTS.pollSuccessThreshold,
    checks: items(node?.child('checks')).map(resolveCheck),
    at: formatConfigPath(node?.path ?? [...environment.path, key]),
  };
}

function resolveCheck(node: ConfigNode): CheckConfig {
  const base = {
    name: required(node.text('name'), node, 'name'),
    at: formatConfigPath(node.path),
    timeoutMs: node.duration('timeout') ?? CONFIG_DEFAULTS.checkTimeoutMs,
  };
  const url = node.text('http');
  if (url !== undefined) {
    return {
      ...base,
      kind: 'http',
      url,
      status: node.number('status') ?? CONFIG_DEFAULTS.checkStatus,
      ...optional('contains', node.text('contains')),
      ...optional('maxLatencyMs', node.duration('max-latency')),
    };
  }
  const address = node.text('tcp');
  if (address !== undefined) return { ...base, kind: 'tcp', address };
  return { ...base, kind: 'run', command: required(node.text('run'), node, 'run') };
}

function resolveVerify(node: ConfigNode): VerifyConfig {
  const errorRate = node.child('error-rate');
  const defaults = CONFIG_DEFAULTS.verify;
  const limits: SeedLimits = {
    errorRate: {
      max: errorRate?.number('max') ?? defaults.errorRate.max,
      maxIncrease: errorRate?.number('max-increase') ?? defaults.errorRate.maxIncrease,
    },
    latencyP95: { maxRatio: node.child('latency-p95')?.number('max-ratio') ?? defaults.latencyP95.maxRatio },
  };
  return {
    windowMs: node.duration('window') ?? defaults.windowMs,
    intervalMs: node.duration('interval') ?? defaults.intervalMs,
    ...limits,
    confidence: node.number('confidence') ?? defaults.confidence,
    minSamples: node.number('min-samples') ?? defaults.minSamples,
    onInconclusive: policy(node.text('on-inconclusive')) ?? defaults.onInconclusive,
    onNoData: policy(node.text('on-no-data')) ?? defaults.onNoData,
    probes: node.texts('probes'),
    probeRate: node.number('probe-rate') ?? defaults.probeRate,
    probeConcurrency: node.number('probe-concurrency') ?? defaults.probeConcurrency,
    ...optional('prometheus', resolvePrometheus(node.child('prometheus'))),
    metrics: items(node.child('metrics')).map((metric) => resolveMetric(metric, limits, node.number('min-samples') ?? defaults.minSamples)),
    smoke: items(node.child('smoke')).map(resolveCheck),
  };
}

/** on-inconclusive / on-no-data: the schema allows only these two. */
function policy(value: string | undefined): 'pass' | 'rollback' | undefined {
  return value === 'pass' || value === 'rollback' ? value : undefined;
}

function resolvePrometheus(node: ConfigNode | undefined): PrometheusConfig | undefined {
  if (node === undefined) return undefined;
  const headers = node.child('headers');
  return {
    url: required(node.text('url'), node, 'url'),
    headersEnv: Object.fromEntries(Object.keys((headers?.value ?? {}) as object).map((name) => [name, required(headers?.text(name), node, name)])),
    timeoutMs: node.duration('timeout') ?? CONFIG_DEFAULTS.verify.prometheusTimeoutMs,
    at: formatConfigPath(node.path),
  };
}

/** A unit of `s` is shown in ms; a rate is a ratio whatever the name. */
function resolveMetric(node: ConfigNode, limits: SeedLimits, verifyMinSamples: number): MetricConfig {
  const name = required(node.text('name'), node, 'name');
  const limit = resolveMetricLimit(node, name, limits);
  const minSamples = node.number('min-samples') ?? (limit.kind === 'rate' ? verifyMinSamples : CONFIG_DEFAULTS.verify.pointMinSamples);
  const written = limit.kind === 'rate' ? 'ratio' : (node.text('unit') ?? seedMetric(name)?.unit ?? 'value');
  const prometheus = node.child('prometheus');
  const query = prometheus?.value;
  return {
    name,
    unit: (written === 's' ? 'ms' : written) as MetricUnit,
    ...optional(
      'prometheus',
      prometheus === undefined
        ? undefined
        : typeof query === 'string'
          ? { query }
          : { errors: required(prometheus.text('errors'), prometheus, 'errors'), total: required(prometheus.text('total'), prometheus, 'total') },
    ),
    ...optional('command', node.text('command')),
    timeoutMs: node.duration('timeout') ?? CONFIG_DEFAULTS.verify.metricCommandTimeoutMs,
    scale: written === 's' ? 1000 : 1,
    limit,
    minSamples,
    at: formatConfigPath(node.path),
  };
}

/** The verify section's own limits, which error-rate and latency-p95 metrics default to. */
type SeedLimits = Pick<VerifyConfig, 'errorRate' | 'latencyP95'>;

/** checkMetrics made sure there is one limit kind written, or a seed metric's default. Unwritten rate limits are verify.error-rate's. */
function resolveMetricLimit(node: ConfigNode, name: string, limits: SeedLimits): MetricLimit {
  const maxRatio = node.number('max-ratio');
  if (maxRatio !== undefined) return { kind: 'max-ratio', ratio: maxRatio };
  const minRatio = node.number('min-ratio');
  if (minRatio !== undefined) return { kind: 'min-ratio', ratio: minRatio };
  const seed = node.has('max') || node.has('max-increase') ? undefined : seedMetric(name);
  if (seed?.limit !== undefined) return seed.limit;
  if (seed?.unit === 's') return { kind: 'max-ratio', ratio: limits.latencyP95.maxRatio };
  return { kind: 'rate', max: node.number('max') ?? limits.errorRate.max, maxIncrease: node.number('max-increase') ?? limits.errorRate.maxIncrease };
}

function seedMetric(name: string): SeedMetric | undefined {
  return Object.hasOwn(SEED_METRICS, name) ? SEED_METRICS[name as SeedMetricName] : undefined;
}

function resolveFinalize(node: ConfigNode | undefined): FinalizeConfig {
  const defaults = CONFIG_DEFAULTS.finalize;
  const notify = items(node?.child('notify'));
  const issue = notify.map((item) => item.child('github-issue')).find((child) => child !== undefined);
  return {
    tag: node?.text('tag') ?? defaults.tag,
    release: node?.flag('release') ?? defaults.release,
    changelog: node?.flag('changelog') ?? defaults.changelog,
    notify: notify.filter((item) => item.child('github-issue') === undefined).map(resolveNotify),
    ...(issue ? { alertIssue: { labels: issue.texts('labels') } } : {}),
  };
}

function resolveNotify(node: ConfigNode): NotifyConfig {
  const at = formatConfigPath(node.path);
  const slack = node.child('slack');
  if (slack !== undefined) return { kind: 'slack', webhookEnv: required(slack.text('webhook-env'), slack, 'webhook-env'), at };
  const teams = node.child('teams');
  if (teams !== undefined) return { kind: 'teams', webhookEnv: required(teams.text('webhook-env'), teams, 'webhook-env'), at };
  const webhook = node.child('webhook');
  return { kind: 'webhook', urlEnv: required(webhook?.text('url-env'), node, 'webhook.url-env'), at };
}

function items(node: ConfigNode | undefined): ConfigNode[] {
  return node?.items() ?? [];
}

/** Present after schema validation; absence is a bug in the schema or here. */
function required<T>(value: T | undefined, node: ConfigNode, key: string): T {
  if (value === undefined) throw new Error(`schema let ${formatConfigPath(node.path)} through without "${key}"`);
  return value;
}

/** `{ key: value }` when value is defined, `{}` otherwise (exactOptional-friendly spreading). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
