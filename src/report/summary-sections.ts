// One folded job-summary section per stage that ran, with the seed's tables filled from the stage's data: validation
// gate, artifacts, smoke/health checklists, snapshot, verification figures, finalize ticks. Only data that exists is
// shown.
import { describeFinding, describeScanCoverage } from '../artifacts/judge-scan.js';
import type { CheckRecord } from '../checks/types.js';
import { formatDuration, formatSize } from '../config/units.js';
import type {
  BuildData,
  EnvironmentData,
  FinalizeData,
  GateRecord,
  PrerequisiteKind,
  ProductionData,
  RollbackRecord,
  StageRecord,
  StepRecord,
  ValidateData,
  VerifyData,
} from '../engine/model.js';
import { STAGE_STATUS_LABELS, STAGE_TITLES, STATUS_EMOJI, STEP_STATUS_LABELS, markOf, pollEndNote, stageNumber } from './labels.js';
import { details, escapeCell, escapeText, inlineCode, table } from './markdown.js';
import { describeMetrics } from './metric-lines.js';
import { visitStageData } from './stage-data.js';
import {
  describeRollback,
  describeTestCounts,
  formatScore,
  formatSeconds,
  formatTally,
  tallyPrerequisites,
} from './stage-facts.js';
import { describeTamperCheck, emptySetError, hashingFact, maxSizeFact, requiredBy } from './artifact-facts.js';

const PREREQUISITE_KINDS: { kind: PrerequisiteKind; label: string }[] = [
  { kind: 'credentials', label: 'Credentials' },
  { kind: 'dependencies', label: 'Dependencies' },
  { kind: 'config', label: 'Config' },
  { kind: 'resources', label: 'Resources' },
  { kind: 'reachability', label: 'Reachability' },
];

const CATEGORY_LABELS = { correctness: 'Correctness', security: 'Security', performance: 'Performance' } as const;

function statusCell(status: StepRecord['status'] | CheckRecord['status'], label = STEP_STATUS_LABELS[status]): string {
  return `${STATUS_EMOJI[status]} ${escapeCell(label)}`;
}

/** "detail · 1.2s" with empty parts left out. */
function joinParts(parts: readonly (string | undefined)[]): string {
  return parts.filter((part): part is string => part !== undefined && part !== '').join(' · ');
}

function renderValidate(data: ValidateData): string {
  const rows: string[][] = [];
  for (const run of data.tests) {
    const counts = describeTestCounts(run);
    const detail = counts && !run.detail.includes(counts) ? joinParts([counts, run.detail]) : run.detail;
    rows.push([`Tests › ${escapeCell(run.name)}`, statusCell(run.status), escapeCell(joinParts([detail, formatDuration(run.durationMs)]))]);
  }
  for (const category of data.review.categories) {
    const worst = category.checks.find((c) => c.status === 'failed') ?? category.checks.find((c) => c.status === 'warning');
    const status = category.checks.length === 0 ? 'skipped' : (worst?.status ?? 'passed');
    const score = category.score === undefined ? 'no checks' : formatScore(category.score);
    const checks = category.checks.map((c) =>
      escapeCell(`${markOf(c.status)} ${c.name} — ${joinParts([c.detail, formatDuration(c.durationMs)])}`),
    );
    rows.push([`Review › ${CATEGORY_LABELS[category.category]}`, statusCell(status, score), checks.join('<br>') || '—']);
  }
  const approvals = data.review.approvals;
  const approvalCount = approvals.approved === undefined ? undefined : `${approvals.approved}/${approvals.required} approving reviews`;
  const approvalLabel =
    approvals.status === 'passed' ? 'approved' : approvals.status === 'failed' ? 'not approved' : STEP_STATUS_LABELS[approvals.status];
  rows.push(['Review › Approvals', statusCell(approvals.status, approvalLabel), escapeCell(joinParts([approvalCount, approvals.detail]))]);
  for (const { kind, label } of PREREQUISITE_KINDS) {
    const items = data.prerequisites.filter((p) => p.kind === kind);
    if (items.length === 0) continue;
    const failed = items.some((p) => p.status === 'failed');
    const lines = items.map((p) => escapeCell(`${markOf(p.status)} ${p.subject} — ${p.detail}`));
    rows.push([`Prerequisites › ${label}`, statusCell(failed ? 'failed' : 'passed', formatTally(tallyPrerequisites(items))), lines.join('<br>')]);
  }
  const branches = `Ran in parallel: tests ${formatDuration(data.branchMs.tests)}, review ${formatDuration(data.branchMs.review)}, prerequisites ${formatDuration(data.branchMs.prerequisites)}.`;
  return ['**Validation Gate:**', table(['Check', 'Status', 'Details'], rows), branches].join('\n\n');
}

function renderBuild(data: BuildData, record: StageRecord): string {
  const blocks: string[] = [];
  const facts: string[] = [];
  if (data.command !== undefined) {
    const exit = data.exitCode === undefined ? '' : data.exitCode === null ? ' (killed by a signal)' : ` (exit ${data.exitCode})`;
    facts.push(`- **Build command:** ${inlineCode(data.command)}${exit}`);
  }
  if (data.artifactsDir !== undefined) facts.push(`- **Build output:** ${inlineCode(data.artifactsDir)}`);
  const failedSteps = record.steps.filter((s) => s.status === 'failed');
  for (const step of failedSteps) facts.push(`- ❌ **${escapeText(step.name)}:** ${escapeText(step.detail)}`);
  if (facts.length > 0) blocks.push(facts.join('\n'));
  const empty = emptySetError(data);
  if (data.artifacts.length > 0 || empty !== undefined) {
    const rows = data.artifacts.map((a) => {
      const required = requiredBy(data, a.path);
      const name = `${inlineCode(a.path, { inTable: true })}${required.length ? ` (required by ${required.join(', ')})` : ''}`;
      return [name, formatSize(a.size), inlineCode(a.sha256, { inTable: true })];
    });
    if (empty !== undefined) rows.push(['❌ **no artifacts**', '—', escapeCell(empty)]);
    for (const missing of (data.requires ?? []).filter((required) => !required.present)) {
      rows.push([`❌ ${inlineCode(missing.path, { inTable: true })}`, '—', `missing: required by ${inlineCode(`environments.${missing.environment}.requires`, { inTable: true })}`]);
    }
    const count = `${data.artifacts.length} artifact${data.artifacts.length === 1 ? '' : 's'}`;
    const manifest = data.manifest === undefined ? '—' : `manifest ${inlineCode(data.manifest, { inTable: true })}`;
    const limit = maxSizeFact(data);
    const total = `**${formatSize(data.totalSize)}**${limit ? ` ${markOf(limit.status)} max-size: ${escapeCell(limit.detail)}` : ''}`;
    rows.push([`**Total: ${count}**`, total, manifest]);
    const hashing = hashingFact(data);
    if (hashing !== undefined) rows.push(['Hashed while copied', escapeCell(hashing), 'one read of every byte']);
    blocks.push(table(['Artifact', 'Size', 'SHA-256'], rows));
  }
  if (data.integrity.length > 0) {
    const checks = data.integrity.map((s) => `- ${markOf(s.status)} ${escapeText(s.name)} — ${escapeText(s.detail)}`);
    blocks.push(['**Integrity:**', ...checks].join('\n'));
  }
  if (data.scan) {
    const findings = data.scan.findings.map((f) => `- ${f.allowed ? '⚠️' : '❌'} ${escapeText(describeFinding(f))}`);
    blocks.push([`**Secret scan** (${escapeText(data.scan.scanner)}): ${escapeText(describeScanCoverage(data.scan))}`, ...findings].join('\n'));
  }
  return blocks.join('\n\n');
}

function renderChecks(checks: readonly CheckRecord[]): string {
  const rows = checks.map((c) => [
    escapeCell(c.name),
    statusCell(c.status),
    escapeCell(
      joinParts([
        c.detail,
        c.passedAfterMs === undefined ? undefined : `passed after ${formatDuration(c.passedAfterMs)}`,
        c.attempts > 1 ? `${c.attempts} attempts` : undefined,
      ]),
    ),
  ]);
  return table(['Check', 'Status', 'Details'], rows);
}

function renderPoll(label: string, verdict: [string, string], poll: NonNullable<EnvironmentData['checks']>): string {
  const line = `**${label}** — Time elapsed: ${formatSeconds(poll.elapsedMs)} / ${formatSeconds(poll.timeoutMs)} · ${poll.attempts} round${poll.attempts === 1 ? '' : 's'} · ${poll.ok ? verdict[0] : verdict[1]}${pollEndNote(poll.ended)}`;
  return poll.checks.length === 0 ? `${line} (no checks configured)` : `${line}\n\n${renderChecks(poll.checks)}`;
}

function renderRollback(rollback: RollbackRecord, what: string): string {
  const icon = rollback.status === 'passed' ? '↩️' : rollback.status === 'failed' ? '❌' : '⏭️';
  const lines = [`**${icon} ${what}:** ${escapeText(describeRollback(rollback))}`];
  if (rollback.manualCommand !== undefined) lines.push('', `Roll back by hand: ${inlineCode(rollback.manualCommand)}`);
  return lines.join('\n');
}

function renderEnvironment(data: EnvironmentData, pollLabel: string, verdict: [string, string]): string[] {
  const facts: string[] = [];
  if (data.url !== undefined) facts.push(`- **Target:** ${escapeText(data.url)}`);
  facts.push(`- **Method:** ${escapeText(data.method)}`);
  if (data.tamper) facts.push(`- **Artifacts check:** ${STATUS_EMOJI[data.tamper.status]} ${escapeText(describeTamperCheck(data.tamper))}`);
  if (data.deploy) {
    const d = data.deploy;
    facts.push(`- **Deploy:** ${STATUS_EMOJI[d.status]} ${d.status} in ${formatDuration(d.durationMs)} — ${escapeText(d.detail)}`);
  }
  const blocks = [facts.join('\n')];
  if (data.checks) blocks.push(renderPoll(pollLabel, verdict, data.checks));
  if (data.rollback) blocks.push(renderRollback(data.rollback, `Rollback ${data.environment}`));
  return blocks;
}

function renderSnapshot(snapshot: NonNullable<ProductionData['snapshot']>): string {
  const lines = [`**Rollback snapshot** (saved to ${inlineCode(snapshot.file)} before deploying):`];
  lines.push(
    snapshot.id === undefined
      ? '- Snapshot ID: none — first deployment, nothing to roll back to'
      : `- Snapshot ID: ${inlineCode(snapshot.id)}`,
  );
  lines.push(`- Timestamp: ${escapeText(snapshot.takenAt)}`);
  lines.push(`- Version: ${snapshot.version === undefined ? 'unknown' : escapeText(snapshot.version)}`);
  if (snapshot.rollbackCommand !== undefined) lines.push(`- Rollback command: ${inlineCode(snapshot.rollbackCommand)}`);
  return lines.join('\n');
}

const METRIC_STATUS = {
  pass: `${STATUS_EMOJI.passed} pass`,
  fail: `${STATUS_EMOJI.failed} fail`,
  inconclusive: `${STATUS_EMOJI.warning} inconclusive`,
  'no-data': `${STATUS_EMOJI.warning} no data`,
  'not-measured': '— not measured',
} as const;

function renderVerify(data: VerifyData): string {
  const window = data.stoppedEarly
    ? `Window ${formatDuration(data.windowMs)}: stopped early after ${formatDuration(data.elapsedMs)}`
    : `Window ${formatDuration(data.windowMs)}: ran ${formatDuration(data.elapsedMs)}`;
  const blocks = [
    `${window} · ${data.looks.taken} of ${data.looks.planned} looks, one every ${formatDuration(data.intervalMs)} · ` +
      `${data.samples.before + data.samples.after > 0 ? `${data.samples.before} probe samples before, ${data.samples.after} after · ` : ''}confidence ${Math.round(data.confidence * 1000) / 10}%.`,
  ];
  const rows = describeMetrics(data.metrics).map((m) => [
    m.label,
    m.source,
    m.before,
    m.after,
    m.delta,
    m.test,
    m.confidence,
    escapeCell(m.limit),
    METRIC_STATUS[m.status],
    escapeCell(m.detail || '—'),
  ]);
  blocks.push(table(['Metric', 'Source', 'Before', 'After', 'Δ', 'Test', 'Confidence', 'Limit', 'Status', 'Reason'], rows));
  if (data.warnings.length > 0) blocks.push(['**Warnings:**', ...data.warnings.map((w) => `- ${STATUS_EMOJI.warning} ${escapeText(w)}`)].join('\n'));
  if (data.smoke.length > 0) blocks.push(`**Production smoke tests:**\n\n${renderChecks(data.smoke)}`);
  blocks.push(
    data.anomalies.length === 0
      ? '**Anomalies:** none detected'
      : ['**Anomalies:**', ...data.anomalies.map((a) => `- ${a.severity === 'critical' ? '🔴' : '🟡'} ${a.severity} · ${a.type.replace('-', ' ')} — ${escapeText(a.detail)}`)].join('\n'),
  );
  if (data.rollback) blocks.push(renderRollback(data.rollback, 'Rollback production'));
  return blocks.join('\n\n');
}

function renderFinalize(data: FinalizeData): string {
  const lines: string[] = [];
  if (data.tag) lines.push(`- ${markOf(data.tag.status)} Release tagged: ${inlineCode(data.tag.name)} — ${escapeText(data.tag.detail)}`);
  if (data.record) lines.push(`- ${markOf(data.record.status)} Deployment record updated: ${inlineCode(data.record.file)} — ${escapeText(data.record.detail)}`);
  if (data.changelog) {
    const file = data.changelog.file === undefined ? '' : ` ${inlineCode(data.changelog.file)}`;
    lines.push(`- ${markOf(data.changelog.status)} Changelog generated:${file} (${data.changelog.entries} entries) — ${escapeText(data.changelog.detail)}`);
  }
  for (const n of data.notifications) lines.push(`- ${markOf(n.status)} Notified ${escapeText(n.channel)} — ${escapeText(n.detail)}`);
  if (data.notifications.length === 0) lines.push('- – No stakeholders to notify (none configured)');
  if (data.report) lines.push(`- Report: ${inlineCode(data.report.file)}`);
  return lines.join('\n');
}

function renderGates(gates: readonly GateRecord[]): string | undefined {
  if (gates.length === 0) return undefined;
  const parts = gates.map((g) => `◆ ${escapeText(g.name)} ${g.passed ? '✅' : `❌ (${escapeText(g.detail)})`}`);
  return `**Gates:** ${parts.join(' · ')}`;
}

/** The folded section of a stage that ran; undefined for a stage that did not run (the summary table says why). */
export function renderStageSection(record: StageRecord): string | undefined {
  if (record.status === 'not-run' || record.status === 'skipped') return undefined;
  const duration = record.durationMs === undefined ? '' : ` (${formatDuration(record.durationMs)})`;
  const title = `Stage ${stageNumber(record.id)}: ${STAGE_TITLES[record.id]} — ${STATUS_EMOJI[record.status]} ${STAGE_STATUS_LABELS[record.status]}${duration}`;
  const body = visitStageData<string | string[]>(record, {
    validate: renderValidate,
    build: renderBuild,
    staging: (data) => renderEnvironment(data, 'Smoke tests', ['PASS', 'FAIL']),
    production: (data) => [
      ...(data.snapshot ? [renderSnapshot(data.snapshot)] : []),
      ...renderEnvironment(data, 'Health checks', ['HEALTHY', 'UNHEALTHY']),
    ],
    verify: renderVerify,
    finalize: renderFinalize,
  });
  const blocks = body === undefined ? [escapeText(record.notes)] : [body].flat();
  const gates = renderGates(record.gates);
  if (gates) blocks.push(gates);
  return details(title, blocks.filter((b) => b !== '').join('\n\n'));
}
