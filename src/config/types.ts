// The validated, resolved configuration: what every later layer reads. Durations are milliseconds, sizes bytes.
// Produced only by config/load.ts; nothing downstream ever sees raw YAML.

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
  /** Verified builds kept in <state-dir>/artifacts (default 5). */
  keep: number;
  timeoutMs: number;
}

export interface PollConfig {
  timeoutMs: number;
  intervalMs: number;
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
  /** Staging smoke checks (staging stage). Default timeout 300s, interval 5s. */
  smoke?: PollConfig;
  /** Production health checks (production stage). Default timeout 60s, interval 2s. */
  health?: PollConfig;
  at: ConfigPath;
}

export interface VerifyConfig {
  windowMs: number;
  intervalMs: number;
  errorRate: { max: number; maxIncrease: number };
  latencyP95: { maxRatio: number };
  /** URLs probed before (baseline) and after the production deploy; placeholders allowed. */
  probes: string[];
  smoke: CheckConfig[];
}

export type NotifyConfig =
  | { kind: 'slack'; webhookEnv: string; at: ConfigPath }
  | { kind: 'webhook'; urlEnv: string; at: ConfigPath };

export interface FinalizeConfig {
  /** Tag template, default "v${version}". */
  tag: string;
  release: boolean;
  changelog: boolean;
  notify: NotifyConfig[];
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
