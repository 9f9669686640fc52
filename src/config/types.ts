// The validated, resolved configuration: what every later layer reads. Durations are milliseconds, sizes bytes.
// Produced only by config/load.ts; nothing downstream ever sees raw YAML.
import type { MetricLimit, MetricUnit } from '../metrics/verdict.js';

/** Where a value came from, for messages like `environments.production.health.checks[1]: …`. */
export type ConfigPath = string;

export type CheckCategory = 'correctness' | 'security' | 'performance';

interface CheckBase {
  name: string;
  at: ConfigPath;
  /** Per-attempt limit (default 10s). */
  timeoutMs: number;
}
export interface HttpCheckConfig extends CheckBase {
  kind: 'http';
  /** May contain placeholders (`${url}`); expanded as text, never by a shell. */
  url: string;
  /** Expected status (default 200). */
  status: number;
  contains?: string;
  maxLatencyMs?: number;
}
export interface TcpCheckConfig extends CheckBase {
  kind: 'tcp';
  /** host:port, may contain placeholders. */
  address: string;
}
export interface RunCheckConfig extends CheckBase {
  kind: 'run';
  command: string;
}
export type CheckConfig = HttpCheckConfig | TcpCheckConfig | RunCheckConfig;

export interface CommandStepConfig {
  name: string;
  run: string;
  at: ConfigPath;
  /** Default 30m. */
  timeoutMs: number;
}
export interface TestConfig extends CommandStepConfig {
  /** JUnit XML file (workspace-relative) giving pass/fail/skip counts. */
  junit?: string;
}
export interface ReviewCheckConfig extends CommandStepConfig {
  category: CheckCategory;
}
export interface ReviewConfig {
  /** Approving reviews required on the PR that brought this commit (0 = off). */
  approvals: number;
  /** `no-pull-request`: what the approvals gate does when the commit came without a pull request (default fail). */
  noPullRequest: 'fail' | 'pass';
  checks: ReviewCheckConfig[];
}
export interface CommandRequirement {
  /** Executable name looked up on PATH. */
  name: string;
  /** Optional semver range, e.g. ">=1.28". */
  range?: string;
  /** As written in the config, e.g. "kubectl >=1.28". */
  raw: string;
}
export interface PrerequisitesConfig {
  env: string[];
  commands: CommandRequirement[];
  files: string[];
  diskBytes?: number;
  reachable: string[];
}
export interface ValidateConfig {
  tests: TestConfig[];
  review: ReviewConfig;
  prerequisites: PrerequisitesConfig;
}

export interface BuildConfig {
  run?: string;
  /** Glob patterns, `!` excludes; relative to the workspace. */
  artifacts: string[];
  maxSizeBytes?: number;
  secretsScan: boolean;
  /** Paths (globs) or rule ids whose findings are listed as allowed and do not fail the build. */
  secretsAllow: string[];
  /** What an artifact the scan could not read as text does to the gate. */
  unscanned: 'fail' | 'warn';
  /** Verified builds kept in <state-dir>/artifacts (default 5). */
  keep: number;
  timeoutMs: number;
  /** How the artifacts are checked against SHA256SUMS right before each deploy (default full). */
  verifyBeforeDeploy: 'full' | 'size-mtime';
  upload: UploadConfig;
}

/** `build.upload`: the artifacts, SHA256SUMS, the JSON report and the debug details, uploaded at the end of the run. */
export interface UploadConfig {
  /** The artifact's name, placeholders not yet filled in. */
  name: string;
  /** Days GitHub keeps it; absent: the repository's setting. */
  retentionDays?: number;
}

export interface PollConfig {
  timeoutMs: number;
  intervalMs: number;
  /** Once a check has answered, this many failures of it in a row end the poll at once (default 3). */
  failureThreshold: number;
  /** Rounds in a row every check must pass before the poll passes (default 1). */
  successThreshold: number;
  checks: CheckConfig[];
  at: ConfigPath;
}

export type ProviderKind = 'command' | 'local';
export type EnvironmentName = 'staging' | 'production';

export interface EnvironmentConfig {
  name: EnvironmentName;
  url?: string;
  provider: ProviderKind;
  /** command provider */
  deploy?: string;
  rollback?: string;
  snapshot?: string;
  /** local provider: root holding releases/<version> and the `current` symlink */
  path?: string;
  /** local provider: releases to keep (default 5) */
  keep: number;
  /** Limit for each of deploy / rollback / snapshot commands (default 10m). */
  commandTimeoutMs: number;
  /** Paths, relative to the artifacts directory, that must be among this environment's artifacts. */
  requires: string[];
  /** Staging smoke checks (staging stage). Default timeout 300s, interval 5s, failure-threshold 3, success-threshold 1. */
  smoke?: PollConfig;
  /** Production health checks (production stage). Default timeout 60s, interval 2s, failure-threshold 3, success-threshold 1. */
  health?: PollConfig;
  at: ConfigPath;
}

export interface VerifyConfig {
  windowMs: number;
  intervalMs: number;
  /** Per metric, 1 − the false-rollback budget of the whole window (default 0.98). */
  confidence: number;
  /** Fewer samples than this is inconclusive (default 20). */
  minSamples: number;
  /** What an inconclusive metric means at the end of the window (default pass, with a warning). */
  onInconclusive: 'pass' | 'rollback';
  /** What a metric that measured nothing means at the end of the window (default rollback). */
  onNoData: 'pass' | 'rollback';
  /** Limits of the probes' error rate. */
  errorRate: { max: number; maxIncrease: number };
  /** Limit of the probes' latency. */
  latencyP95: { maxRatio: number };
  /** URLs probed before (baseline) and after the production deploy; placeholders allowed. */
  probes: string[];
  /** Probe requests per second, all URLs together (default 5). */
  probeRate: number;
  /** Probe requests in flight at most (default 4). */
  probeConcurrency: number;
  /** The Prometheus HTTP API the `prometheus` metrics query. */
  prometheus?: PrometheusConfig;
  /** Metrics from Prometheus or a command, beyond the probes' error rate and latency. */
  metrics: MetricConfig[];
  smoke: CheckConfig[];
}

export interface PrometheusConfig {
  /** Base URL, e.g. http://prometheus:9090 (placeholders allowed). */
  url: string;
  /** Header name → name of the environment variable holding its value (masked). */
  headersEnv: Record<string, string>;
  /** Per query (default 10s). */
  timeoutMs: number;
  at: ConfigPath;
}

/** One metric of `verify.metrics`: where it comes from and the limit it is held to. */
export interface MetricConfig {
  name: string;
  unit: MetricUnit;
  /** PromQL giving one value per step (`query`), or failed and total request counts per step (a rate). */
  prometheus?: { query: string } | { errors: string; total: string };
  /** Prints `{"before": …, "after": …}` as JSON: arrays of values, or `{"errors": n, "total": n}`. */
  command?: string;
  /** Limit of one run of `command` (default 30s). */
  timeoutMs: number;
  /** Every value is multiplied by this before it is judged or shown (1000 for a query in seconds shown in ms). */
  scale: number;
  limit: MetricLimit;
  /** Fewer samples on a side is inconclusive (points for values, requests for a rate). */
  minSamples: number;
  at: ConfigPath;
}

export type NotifyConfig =
  | { kind: 'slack'; webhookEnv: string; at: ConfigPath }
  | { kind: 'teams'; webhookEnv: string; at: ConfigPath }
  | { kind: 'webhook'; urlEnv: string; at: ConfigPath };

/** `notify: [{ github-issue: { labels } }]`: an issue for a rolled-back or failed production deployment. */
export interface AlertIssueConfig {
  /** Labels added to `meta-deploy`. */
  labels: string[];
}

export interface FinalizeConfig {
  /** Tag template, default "v${version}". */
  tag: string;
  release: boolean;
  changelog: boolean;
  notify: NotifyConfig[];
  /** Present when `notify` holds a `github-issue` entry (it is not a webhook: the GitHub features raise it). */
  alertIssue?: AlertIssueConfig;
}

/** One target with its overrides applied. */
export interface TargetConfig {
  name: string;
  validate: ValidateConfig;
  build: BuildConfig;
  environments: Partial<Record<EnvironmentName, EnvironmentConfig>>;
  /** Absent when the config has no verify section: the stage is then reported as not configured. */
  verify?: VerifyConfig;
  finalize: FinalizeConfig;
}

export interface DeployConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Directory for records, snapshots and reports (default `.meta-deploy`, workspace-relative). */
  stateDir: string;
  /** How long a run waits for the state directory's lock (`lock-timeout`, default 15m). */
  lockTimeoutMs: number;
  /** In declaration order; the first is the default target. */
  targetNames: string[];
  targets: Record<string, TargetConfig>;
}
