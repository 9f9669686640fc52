// One target's merged config → the typed TargetConfig every later layer reads: defaults filled in, durations in
// milliseconds, sizes in bytes, and each list item tagged with the config path it was written at.
import { CONFIG_DEFAULTS } from './defaults.js';
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
  NotifyConfig,
  PollConfig,
  PrerequisitesConfig,
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
    keep: node?.number('keep') ?? CONFIG_DEFAULTS.keep,
    timeoutMs: node?.duration('timeout') ?? CONFIG_DEFAULTS.buildTimeoutMs,
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
  return {
    windowMs: node.duration('window') ?? defaults.windowMs,
    intervalMs: node.duration('interval') ?? defaults.intervalMs,
    errorRate: {
      max: errorRate?.number('max') ?? defaults.errorRate.max,
      maxIncrease: errorRate?.number('max-increase') ?? defaults.errorRate.maxIncrease,
    },
    latencyP95: { maxRatio: node.child('latency-p95')?.number('max-ratio') ?? defaults.latencyP95.maxRatio },
    confidence: defaults.confidence,
    minSamples: defaults.minSamples,
    onInconclusive: defaults.onInconclusive,
    onNoData: defaults.onNoData,
    probes: node.texts('probes'),
    probeRate: defaults.probeRate,
    probeConcurrency: defaults.probeConcurrency,
    metrics: [],
    smoke: items(node.child('smoke')).map(resolveCheck),
  };
}

function resolveFinalize(node: ConfigNode | undefined): FinalizeConfig {
  const defaults = CONFIG_DEFAULTS.finalize;
  return {
    tag: node?.text('tag') ?? defaults.tag,
    release: node?.flag('release') ?? defaults.release,
    changelog: node?.flag('changelog') ?? defaults.changelog,
    notify: items(node?.child('notify')).map(resolveNotify),
  };
}

function resolveNotify(node: ConfigNode): NotifyConfig {
  const at = formatConfigPath(node.path);
  const slack = node.child('slack');
  if (slack !== undefined) return { kind: 'slack', webhookEnv: required(slack.text('webhook-env'), slack, 'webhook-env'), at };
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
