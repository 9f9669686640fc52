// The JSON report: the whole Deployment model under `schemaVersion: 1`, keys in the model's declaration order at
// every level (whatever order the stages happened to assign them in), so reports diff cleanly between runs.
import { STAGE_IDS } from '../engine/model.js';
import type {
  ApprovalRecord,
  ArtifactRecord,
  BuildData,
  DebugRecord,
  Deployment,
  EnvironmentData,
  FinalizeData,
  GateRecord,
  NotificationRecord,
  HashingRecord,
  SecretScanRecord,
  SecretFindingRecord,
  RequiredFileRecord,
  ArtifactUploadRecord,
  TamperCheckRecord,
  PrerequisiteRecord,
  ProductionData,
  ReviewCategoryRecord,
  RollbackRecord,
  SnapshotRecord,
  StageRecord,
  StepRecord,
  TestRunRecord,
  ValidateData,
  VerifyData,
} from '../engine/model.js';
import type { CheckRecord } from '../checks/types.js';
import type { Anomaly } from '../metrics/types.js';
import type { MetricVerdict } from '../metrics/verdict.js';
import { MANUAL_ROLLBACK_PREFIX } from './labels.js';

export const JSON_REPORT_SCHEMA_VERSION = 1;

/**
 * Key order of one object type, and the shapes of its nested objects (arrays: the shape of each item).
 * `keys` is written as `{ key: true }` checked with `satisfies Record<keyof T, true>`, so adding a field to the
 * model without adding it here fails to compile.
 */
interface Shape {
  keys: readonly string[];
  nested?: Record<string, Shape>;
}

function shape(keys: Record<string, true>, nested?: Record<string, Shape>): Shape {
  return { keys: Object.keys(keys), nested };
}

const STEP = shape({ name: true, status: true, startedAt: true, durationMs: true, detail: true, output: true } satisfies Record<keyof StepRecord, true>);
const GATE = shape({ name: true, passed: true, detail: true } satisfies Record<keyof GateRecord, true>);
const CHECK = shape({
  name: true, kind: true, at: true, status: true, attempts: true, answered: true, inARow: true, detail: true, expected: true, got: true,
  latencyMs: true, output: true, passedAfterMs: true,
} satisfies Record<keyof CheckRecord, true>);
const ROLLBACK = shape(
  { snapshotId: true, status: true, detail: true, durationMs: true, healthAfter: true, manualCommand: true } satisfies Record<keyof RollbackRecord, true>,
  { healthAfter: shape({ ok: true, detail: true } satisfies Record<keyof NonNullable<RollbackRecord['healthAfter']>, true>) },
);
const DEBUG = shape({ subject: true, expected: true, got: true, detail: true, output: true } satisfies Record<keyof DebugRecord, true>);

const TEST_RUN = shape(
  { name: true, status: true, durationMs: true, counts: true, detail: true, output: true } satisfies Record<keyof TestRunRecord, true>,
  { counts: shape({ tests: true, passed: true, failed: true, skipped: true } satisfies Record<keyof NonNullable<TestRunRecord['counts']>, true>) },
);
const REVIEW_CATEGORY = shape({ category: true, score: true, checks: true } satisfies Record<keyof ReviewCategoryRecord, true>, {
  checks: shape({ name: true, status: true, durationMs: true, detail: true, output: true } satisfies Record<keyof ReviewCategoryRecord['checks'][number], true>),
});
const APPROVAL = shape({ required: true, approved: true, approvers: true, changesRequestedBy: true, pullRequest: true, status: true, detail: true } satisfies Record<keyof ApprovalRecord, true>);
const PREREQUISITE = shape({ kind: true, subject: true, status: true, detail: true } satisfies Record<keyof PrerequisiteRecord, true>);
const VALIDATE = shape({ tests: true, review: true, prerequisites: true, branchMs: true } satisfies Record<keyof ValidateData, true>, {
  tests: TEST_RUN,
  review: shape({ categories: true, approvals: true } satisfies Record<keyof ValidateData['review'], true>, {
    categories: REVIEW_CATEGORY,
    approvals: APPROVAL,
  }),
  prerequisites: PREREQUISITE,
  branchMs: shape({ tests: true, review: true, prerequisites: true } satisfies Record<keyof ValidateData['branchMs'], true>),
});

const ARTIFACT = shape({ path: true, size: true, sha256: true } satisfies Record<keyof ArtifactRecord, true>);
const BUILD = shape(
  { command: true, exitCode: true, artifactsDir: true, artifacts: true, totalSize: true, manifest: true, manifestSha256: true, integrity: true, hashing: true, scan: true, requires: true, upload: true } satisfies Record<keyof BuildData, true>,
  {
    artifacts: ARTIFACT,
    integrity: STEP,
    hashing: shape({ files: true, bytes: true, durationMs: true, workers: true } satisfies Record<keyof HashingRecord, true>),
    scan: shape({ scanner: true, files: true, bytes: true, durationMs: true, workers: true, findings: true, unscanned: true } satisfies Record<keyof SecretScanRecord, true>, {
      findings: shape({ path: true, line: true, rule: true, masked: true, allowed: true } satisfies Record<keyof SecretFindingRecord, true>),
      unscanned: shape({ path: true, reason: true } satisfies Record<keyof SecretScanRecord['unscanned'][number], true>),
    }),
    requires: shape({ environment: true, path: true, present: true } satisfies Record<keyof RequiredFileRecord, true>),
    upload: shape({ status: true, detail: true, name: true, url: true } satisfies Record<keyof ArtifactUploadRecord, true>),
  },
);

const ENVIRONMENT_KEYS = { environment: true, url: true, method: true, tamper: true, deploy: true, checks: true, rollback: true, debug: true } satisfies Record<keyof EnvironmentData, true>;
const ENVIRONMENT_NESTED: Record<string, Shape> = {
  tamper: shape({ status: true, mode: true, files: true, durationMs: true, problems: true } satisfies Record<keyof TamperCheckRecord, true>),
  deploy: STEP,
  checks: shape({ elapsedMs: true, timeoutMs: true, attempts: true, ok: true, ended: true, checks: true } satisfies Record<keyof NonNullable<EnvironmentData['checks']>, true>, { checks: CHECK }),
  rollback: ROLLBACK,
  debug: DEBUG,
};
const ENVIRONMENT = shape(ENVIRONMENT_KEYS, ENVIRONMENT_NESTED);
const PRODUCTION = shape({ ...ENVIRONMENT_KEYS, snapshot: true } satisfies Record<keyof ProductionData, true>, {
  ...ENVIRONMENT_NESTED,
  snapshot: shape({ id: true, takenAt: true, version: true, rollbackCommand: true, file: true } satisfies Record<keyof SnapshotRecord, true>),
});

const VERIFY = shape(
  { windowMs: true, intervalMs: true, elapsedMs: true, confidence: true, looks: true, stoppedEarly: true, samples: true, metrics: true, smoke: true, anomalies: true, warnings: true, rollback: true, debug: true } satisfies Record<keyof VerifyData, true>,
  {
    samples: shape({ before: true, after: true } satisfies Record<keyof VerifyData['samples'], true>),
    looks: shape({ taken: true, planned: true } satisfies Record<keyof VerifyData['looks'], true>),
    metrics: shape(
      { name: true, source: true, unit: true, status: true, test: true, before: true, after: true, limit: true, pValue: true, confidenceReached: true, alpha: true, reason: true } satisfies Record<keyof MetricVerdict, true>,
      {
        before: shape({ samples: true, value: true } satisfies Record<keyof MetricVerdict['before'], true>),
        after: shape({ samples: true, value: true } satisfies Record<keyof MetricVerdict['after'], true>),
      },
    ),
    smoke: CHECK,
    anomalies: shape({ type: true, severity: true, detail: true } satisfies Record<keyof Anomaly, true>),
    rollback: ROLLBACK,
    debug: DEBUG,
  },
);

const FINALIZE = shape({ tag: true, release: true, record: true, changelog: true, report: true, notifications: true } satisfies Record<keyof FinalizeData, true>, {
  tag: shape({ name: true, status: true, detail: true } satisfies Record<keyof NonNullable<FinalizeData['tag']>, true>),
  release: shape({ url: true, status: true, detail: true } satisfies Record<keyof NonNullable<FinalizeData['release']>, true>),
  record: shape({ file: true, status: true, detail: true } satisfies Record<keyof NonNullable<FinalizeData['record']>, true>),
  changelog: shape({ file: true, status: true, detail: true, entries: true } satisfies Record<keyof NonNullable<FinalizeData['changelog']>, true>),
  report: shape({ file: true } satisfies Record<keyof NonNullable<FinalizeData['report']>, true>),
  notifications: shape({ channel: true, status: true, detail: true } satisfies Record<keyof NotificationRecord, true>),
});

const STAGE_KEYS = { id: true, status: true, startedAt: true, durationMs: true, notes: true, gates: true, steps: true, data: true } satisfies Record<keyof StageRecord, true>;
const stageShape = (data: Shape): Shape => shape(STAGE_KEYS, { gates: GATE, steps: STEP, data });

const DEPLOYMENT = shape(
  {
    id: true, target: true, version: true, previousVersion: true, sha: true, environments: true, configFile: true,
    startedAt: true, durationMs: true, stages: true, result: true, failedStage: true, reason: true, manualRollback: true, manualRollbackEnvironment: true,
    snapshotId: true, deploymentId: true, releaseUrl: true, github: true, notices: true, reportFile: true,
  } satisfies Record<keyof Deployment, true>,
  {
    stages: {
      keys: STAGE_IDS,
      nested: {
        validate: stageShape(VALIDATE),
        build: stageShape(BUILD),
        staging: stageShape(ENVIRONMENT),
        production: stageShape(PRODUCTION),
        verify: stageShape(VERIFY),
        finalize: stageShape(FINALIZE),
      },
    },
  },
);

/** A copy of `value` with keys in `s.keys` order; undefined values dropped; keys unknown to the shape kept, last. */
function ordered(value: unknown, s: Shape | undefined): unknown {
  if (Array.isArray(value)) return value.map((item) => ordered(item, s));
  if (value === null || typeof value !== 'object' || s === undefined) return value;
  const source = value as Record<string, unknown>;
  const keys = [...s.keys, ...Object.keys(source).filter((k) => !s.keys.includes(k)).sort()];
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (source[key] === undefined) continue;
    out[key] = ordered(source[key], s.nested?.[key] ?? (s.keys.includes(key) ? undefined : { keys: [] }));
  }
  return out;
}

export interface JsonReport {
  /** Present only when a rollback failed: the first thing a human opening the file reads. */
  alert?: string;
  schemaVersion: typeof JSON_REPORT_SCHEMA_VERSION;
  [key: string]: unknown;
}

export function toJsonReport(d: Deployment): JsonReport {
  const alert = d.manualRollback === undefined ? {} : { alert: `${MANUAL_ROLLBACK_PREFIX} ${d.manualRollback}` };
  return { ...alert, schemaVersion: JSON_REPORT_SCHEMA_VERSION, ...(ordered(d, DEPLOYMENT) as Record<string, unknown>) };
}

export function renderJsonReport(d: Deployment): string {
  return `${JSON.stringify(toJsonReport(d), null, 2)}\n`;
}
