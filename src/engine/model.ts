// The deployment model: the one record of a run that every renderer (job summary, terminal, JSON report)
// and the records file read. Stages fill it; nothing else writes to it. Every figure here was measured in this run;
// a value that was not measured is absent, never zero.
import type { CheckCategory, EnvironmentName } from '../config/types.js';
import type { CheckRecord, PollEnd } from '../checks/types.js';
import type { Anomaly } from '../metrics/types.js';
import type { MetricVerdict } from '../metrics/verdict.js';

export const STAGE_IDS = ['validate', 'build', 'staging', 'production', 'verify', 'finalize'] as const;
export type StageId = (typeof STAGE_IDS)[number];

export type Result = 'success' | 'rolled-back' | 'failed';

/** Closed set of stage states. `not-run`: never started (an earlier stage stopped the run, or not selected). */
export type StageStatus = 'passed' | 'failed' | 'rolled-back' | 'warning' | 'skipped' | 'not-run';
export type StepStatus = 'passed' | 'failed' | 'skipped' | 'warning';

export interface StepRecord {
  name: string;
  status: StepStatus;
  startedAt: string;
  durationMs: number;
  detail: string;
  /** Masked tail of command output, when the step ran a command. */
  output?: string;
}

export interface GateRecord {
  /** e.g. "tests:pass" */
  name: string;
  passed: boolean;
  detail: string;
}

export interface TestRunRecord {
  name: string;
  status: StepStatus;
  durationMs: number;
  /** From JUnit XML when configured and readable; absent otherwise. */
  counts?: { tests: number; passed: number; failed: number; skipped: number };
  detail: string;
  output?: string;
}

export interface ReviewCategoryRecord {
  category: CheckCategory;
  /** passed checks / all checks in the category, scaled to 10; absent when the category has no checks. */
  score?: number;
  checks: { name: string; status: StepStatus; durationMs: number; detail: string; output?: string }[];
}

export interface ApprovalRecord {
  required: number;
  /** Absent when they could not be counted (no token / not a PR): the approvals fail, and the detail says why. */
  approved?: number;
  /** Logins whose latest review is APPROVED (the gate row names them). */
  approvers?: string[];
  /** Logins whose latest review is CHANGES_REQUESTED: they block whatever the count. */
  changesRequestedBy?: string[];
  /** The pull request the approvals were counted on. */
  pullRequest?: { number: number; url: string };
  status: StepStatus;
  detail: string;
}

export type PrerequisiteKind = 'credentials' | 'dependencies' | 'config' | 'resources' | 'reachability';
export interface PrerequisiteRecord {
  kind: PrerequisiteKind;
  /** e.g. "DEPLOY_TOKEN", "kubectl >=1.28", "deploy/production.env" */
  subject: string;
  status: StepStatus;
  detail: string;
}

export interface ValidateData {
  tests: TestRunRecord[];
  review: { categories: ReviewCategoryRecord[]; approvals: ApprovalRecord };
  prerequisites: PrerequisiteRecord[];
  /** Wall time of each parallel branch. */
  branchMs: { tests: number; review: number; prerequisites: number };
}

export interface ArtifactRecord {
  /** Path relative to the artifacts directory. */
  path: string;
  size: number;
  sha256: string;
}
export interface BuildData {
  command?: string;
  exitCode?: number | null;
  artifactsDir?: string;
  artifacts: ArtifactRecord[];
  totalSize: number;
  /** The SHA256SUMS file, beside the artifacts directory. */
  manifest?: string;
  /** SHA-256 of SHA256SUMS as written: the tamper check before each deploy refuses a manifest that is not this one. */
  manifestSha256?: string;
  integrity: StepRecord[];
  /** How the artifacts were copied and hashed in one read: measured in this run. */
  hashing?: HashingRecord;
  /** The secret scan of the artifacts. */
  scan?: SecretScanRecord;
  /** `environments.<env>.requires`: files each environment that runs needs inside the artifacts. */
  requires?: RequiredFileRecord[];
  /** Where the artifacts, the manifest and the report were uploaded (GitHub) or stored (local artifact store). */
  upload?: ArtifactUploadRecord;
}

export interface HashingRecord {
  files: number;
  bytes: number;
  durationMs: number;
  /** Worker threads hashing files in parallel. */
  workers: number;
}

export interface SecretFindingRecord {
  /** Path relative to the artifacts directory. */
  path: string;
  line: number;
  /** The scanner's rule id, e.g. @secretlint/secretlint-rule-aws. */
  rule: string;
  /** What was found, masked: never the secret itself. */
  masked: string;
  /** Listed in build.secrets-allow (by path or rule): shown, not failing the gate. */
  allowed?: boolean;
}

export interface SecretScanRecord {
  /** e.g. "secretlint 10 (preset-recommend)" */
  scanner: string;
  files: number;
  bytes: number;
  durationMs: number;
  /** Worker threads scanning files in parallel (0: scanned in the calling thread). */
  workers: number;
  findings: SecretFindingRecord[];
  /** Files that were not scanned, each with the reason (binary content, unreadable…): never skipped silently. */
  unscanned: { path: string; reason: string }[];
}

export interface RequiredFileRecord {
  environment: EnvironmentName;
  path: string;
  present: boolean;
}

export interface ArtifactUploadRecord {
  status: StepStatus;
  detail: string;
  /** Artifact name (GitHub) / store directory (local). */
  name: string;
  /** Link to the uploaded artifact on GitHub, when known. */
  url?: string;
}

/** The artifacts handed to an environment, checked against SHA256SUMS right before its deploy. */
export interface TamperCheckRecord {
  status: 'passed' | 'failed';
  /** 'full hash' (default) or 'size and mtime' (the fast path). */
  mode: 'full hash' | 'size and mtime';
  files: number;
  durationMs: number;
  /** Changed, missing or extra files, named. */
  problems: string[];
}

export interface RollbackRecord {
  snapshotId?: string;
  status: 'passed' | 'failed' | 'skipped';
  detail: string;
  durationMs: number;
  /** Health re-checked after rolling back. */
  healthAfter?: { ok: boolean; detail: string };
  /** For a human when the rollback failed. */
  manualCommand?: string;
}

export interface DebugRecord {
  /** What failed, e.g. "environments.staging.smoke.checks[0] Health endpoint". */
  subject: string;
  expected?: string;
  got?: string;
  detail: string;
  output?: string;
}

export interface EnvironmentData {
  environment: EnvironmentName;
  url?: string;
  method: string;
  /** The artifacts checked against SHA256SUMS right before the deploy. */
  tamper?: TamperCheckRecord;
  deploy?: StepRecord;
  /** `ended`: why the poll stopped (absent in records written before polls had thresholds). */
  checks?: { elapsedMs: number; timeoutMs: number; attempts: number; ok: boolean; ended: PollEnd; checks: CheckRecord[] };
  rollback?: RollbackRecord;
  debug?: DebugRecord[];
}

export interface SnapshotRecord {
  /** Absent on a first deployment (nothing to roll back to). */
  id?: string;
  takenAt: string;
  version?: string;
  rollbackCommand?: string;
  /** Where the snapshot was persisted before deploying. */
  file: string;
}

export interface ProductionData extends EnvironmentData {
  snapshot?: SnapshotRecord;
}

export interface VerifyData {
  windowMs: number;
  intervalMs: number;
  elapsedMs: number;
  /** verify.confidence the metrics were judged at. */
  confidence: number;
  /** Looks at the metrics taken, of the planned one per interval. */
  looks: { taken: number; planned: number };
  stoppedEarly: boolean;
  /** Probe samples before (baseline) and after the deploy. */
  samples: { before: number; after: number };
  /** Each metric's verdict at the last look, with its evidence. */
  metrics: MetricVerdict[];
  smoke: CheckRecord[];
  anomalies: Anomaly[];
  /** Metrics let through by on-inconclusive / on-no-data: pass, each with its figures. */
  warnings: string[];
  rollback?: RollbackRecord;
  debug?: DebugRecord[];
}

export interface NotificationRecord {
  channel: string;
  status: StepStatus;
  detail: string;
}
export interface FinalizeData {
  tag?: { name: string; status: StepStatus; detail: string };
  /** The GitHub release (`finalize.release`), when the GitHub features ran. */
  release?: { url?: string; status: StepStatus; detail: string };
  record?: { file: string; status: StepStatus; detail: string };
  changelog?: { file?: string; status: StepStatus; detail: string; entries: number };
  report?: { file: string };
  notifications: NotificationRecord[];
}

export interface StageDataMap {
  validate: ValidateData;
  build: BuildData;
  staging: EnvironmentData;
  production: ProductionData;
  verify: VerifyData;
  finalize: FinalizeData;
}

export interface StageRecord<S extends StageId = StageId> {
  id: S;
  status: StageStatus;
  startedAt?: string;
  durationMs?: number;
  /** One line for the Deployment Summary's Notes column. */
  notes: string;
  gates: GateRecord[];
  steps: StepRecord[];
  data?: StageDataMap[S];
}

export interface Deployment {
  /** Unique id of this run, e.g. "web-1.2.3-20261126T130102Z". */
  id: string;
  target: string;
  version: string;
  previousVersion?: string;
  sha?: string;
  environments: EnvironmentName[];
  configFile: string;
  startedAt: string;
  durationMs?: number;
  stages: { [S in StageId]: StageRecord<S> };
  result?: Result;
  /** Absent on success, and when the run never started (the lock): then `reason` begins "not started:". */
  failedStage?: StageId;
  /** First line of the report on failure. */
  reason?: string;
  /** When a rollback itself failed: what to run by hand. */
  manualRollback?: string;
  /** The environment whose rollback failed (what manualRollback restores). */
  manualRollbackEnvironment?: EnvironmentName;
  snapshotId?: string;
  /** GitHub deployment id (production's, else the last environment's) / release URL when the GitHub features ran. */
  deploymentId?: string;
  releaseUrl?: string;
  /** What the GitHub features did in this run (absent when they did not run: no token, not in Actions). */
  github?: GitHubFacts;
  /** One line each for features skipped (no token, not in Actions, …). */
  notices: string[];
  reportFile?: string;
}

/** One GitHub deployment of this run. */
export interface GitHubDeploymentRecord {
  environment: EnvironmentName;
  id: number;
  /** Last status this run set (or saw, for the job's own deployment). */
  state: 'in_progress' | 'success' | 'failure' | 'error';
  /** Link to the deployment's environment on GitHub. */
  url: string;
  /** The job declares `environment:`, so GitHub made this deployment; meta-deploy only reports it. */
  createdByJob?: boolean;
}

export interface GitHubFacts {
  /** owner/name */
  repository: string;
  /** The run's page (the statuses' log_url). */
  runUrl: string;
  deployments: GitHubDeploymentRecord[];
  /** The sticky PR comment, when there is a pull request. */
  comment?: { url: string; pullRequest: number; edits: number };
  release?: { tag: string; url?: string; status: StepStatus; detail: string };
  /** Issue opened (or commented on) for a failed or rolled-back production deployment. */
  alertIssue?: { url: string; number: number; action: 'opened' | 'commented' };
  /** API calls this run made (every attempt, retries included). */
  apiCalls: number;
}
