// The boxes the terminal draws when a stage finishes, modelled on the seed's execution trace: what ran, the key
// figures (tests, review, prerequisites, artifacts, smoke and health checklists, snapshot, metrics, finalize
// ticks) and, on failure, the seed's alert box with the rollback outcome.
import { describeFinding, describeScanCoverage } from '../artifacts/judge-scan.js';
import type { CheckRecord } from '../checks/types.js';
import { formatDuration, formatSize } from '../config/units.js';
import type {
  BuildData,
  Deployment,
  EnvironmentData,
  FinalizeData,
  ProductionData,
  RollbackRecord,
  StageRecord,
  StepStatus,
  ValidateData,
  VerifyData,
} from '../engine/model.js';
import type { Paint, Tone } from './ansi.js';
import { blank, drawBox, drawColumns, textWidth } from './box.js';
import type { BoxLine } from './box.js';
import { markOf, pollEndNote } from './labels.js';
import { describeMetrics } from './metric-lines.js';
import { visitStageData } from './stage-data.js';
import {
  describeApprovals,
  describeRollback,
  formatScore,
  formatSeconds,
  formatTally,
  overallReviewScore,
  shortSha,
  tallyPrerequisites,
  tallyTestCases,
} from './stage-facts.js';
import { describeTamperCheck, emptySetError, hashingFact, maxSizeFact, requiredBy } from './artifact-facts.js';

export interface BoxLayout {
  /** Terminal width in columns. */
  width: number;
  paint: Paint;
}

/** The seed's box width; boxes grow with their content up to the terminal width. */
const MIN_BOX_WIDTH = 47;
/** Three columns need at least this many columns (20 per column). */
const COLUMNS_MIN_WIDTH = 70;
const MAX_ARTIFACT_LINES = 10;

function toneOf(status: StepStatus | CheckRecord['status'] | RollbackRecord['status']): Tone | undefined {
  if (status === 'passed') return 'ok';
  if (status === 'failed') return 'bad';
  if (status === 'warning') return 'warn';
  return 'dim';
}

function item(status: StepStatus | CheckRecord['status'], text: string): BoxLine {
  return { text: `${markOf(status)} ${text}`, tone: toneOf(status) };
}

function verdict(label: string, ok: boolean, yes: string, no: string): BoxLine {
  return { text: `${label}: ${ok ? yes : no}`, tone: ok ? 'ok' : 'bad' };
}

type Block = { title: string; lines: BoxLine[] } | { headers: string[]; columns: BoxLine[][] };

function draw(blocks: readonly Block[], layout: BoxLayout): string[] {
  // Never wider than the terminal, however narrow: a wider box would wrap and break its borders.
  const maxWidth = layout.width;
  // The boxes of one stage share a width, as in the seed.
  const longest = Math.max(0, ...blocks.flatMap((b) => ('title' in b ? [b.title, ...b.lines.map((l) => l.text)] : [])).map(textWidth));
  const minWidth = Math.min(maxWidth, Math.max(MIN_BOX_WIDTH, longest + 4));
  return blocks.flatMap((block) => {
    if ('title' in block) {
      return drawBox([{ text: block.title, tone: 'bold' }, blank, ...block.lines], { minWidth, maxWidth }, layout.paint);
    }
    if (layout.width >= COLUMNS_MIN_WIDTH) {
      const width = Math.min(layout.width, 100);
      return ['@parallel[', ...drawColumns(block.headers, block.columns, width, layout.paint), ']'];
    }
    // Too narrow for three columns: the same content stacked, one box per column.
    return block.headers.flatMap((header, i) =>
      drawBox([{ text: header, tone: 'bold' }, blank, ...(block.columns[i] ?? [])], { minWidth: Math.min(MIN_BOX_WIDTH, maxWidth), maxWidth }, layout.paint),
    );
  });
}

function validateBlocks(data: ValidateData): Block[] {
  const tests = data.tests.map((t) => {
    const cases = tallyTestCases(t);
    return item(t.status, `${t.name}${cases ? ` ${formatTally(cases)}` : ''}`);
  });
  const testsOk = data.tests.every((t) => t.status !== 'failed');
  const review = data.review.categories.map((c) => {
    const failed = c.checks.some((check) => check.status === 'failed');
    const label = c.category[0]!.toUpperCase() + c.category.slice(1);
    if (c.checks.length === 0) return item('skipped', `${label} —`);
    return item(failed ? 'failed' : 'passed', `${label} ${c.score === undefined ? '' : formatScore(c.score)}`.trim());
  });
  const approvals = describeApprovals(data);
  if (approvals) review.push(item(data.review.approvals.status, `Approvals ${approvals}`));
  const score = overallReviewScore(data);
  const reviewOk = data.review.categories.every((c) => c.checks.every((check) => check.status !== 'failed')) && data.review.approvals.status !== 'failed';
  const kinds = ['credentials', 'dependencies', 'config', 'resources', 'reachability'] as const;
  const prerequisites = kinds.flatMap((kind) => {
    const items = data.prerequisites.filter((p) => p.kind === kind);
    if (items.length === 0) return [];
    const failed = items.filter((p) => p.status === 'failed');
    const label = kind[0]!.toUpperCase() + kind.slice(1);
    return [
      item(failed.length > 0 ? 'failed' : 'passed', `${label} ${formatTally(tallyPrerequisites(items))}`),
      // The column is narrow: the subject only; the reason is in the closing summary's debug details.
      ...failed.map((p) => ({ text: `  ✗ ${p.subject}`, tone: 'bad' as const })),
    ];
  });
  const prerequisitesOk = data.prerequisites.every((p) => p.status !== 'failed');
  return [
    {
      headers: ['/meta-test', '/meta-review', 'PREREQUISITES'],
      columns: [
        [...tests, blank, verdict('Overall', testsOk, 'PASS', 'FAIL'), { text: formatDuration(data.branchMs.tests), tone: 'dim' }],
        [
          ...review,
          blank,
          verdict('Overall', reviewOk, `PASS${score === undefined ? '' : ` ${formatScore(score)}`}`, 'FAIL'),
          { text: formatDuration(data.branchMs.review), tone: 'dim' },
        ],
        [...prerequisites, blank, verdict('Overall', prerequisitesOk, 'PASS', 'FAIL'), { text: formatDuration(data.branchMs.prerequisites), tone: 'dim' }],
      ],
    },
  ];
}

function buildBlocks(data: BuildData, record: StageRecord): Block[] {
  const lines: BoxLine[] = [];
  if (data.command !== undefined) lines.push({ text: `Build command: ${data.command.replace(/\s*\n\s*/g, ' ⏎ ')}` });
  if (data.artifactsDir !== undefined) lines.push({ text: `Build output: ${data.artifactsDir}` });
  for (const step of record.steps.filter((s) => s.status === 'failed')) lines.push(item('failed', `${step.name}: ${step.detail}`));
  const empty = emptySetError(data);
  if (data.artifacts.length > 0 || empty !== undefined) {
    lines.push(blank, { text: 'Artifacts:' });
    for (const a of data.artifacts.slice(0, MAX_ARTIFACT_LINES)) {
      const required = requiredBy(data, a.path);
      lines.push({ text: `- ${a.path}  ${formatSize(a.size)}  ${shortSha(a.sha256)}${required.length ? `  (required by ${required.join(', ')})` : ''}` });
    }
    if (data.artifacts.length > MAX_ARTIFACT_LINES) lines.push({ text: `- … and ${data.artifacts.length - MAX_ARTIFACT_LINES} more`, tone: 'dim' });
    if (empty !== undefined) lines.push(item('failed', `no artifacts: ${empty}`));
    for (const missing of (data.requires ?? []).filter((required) => !required.present)) {
      lines.push(item('failed', `${missing.path}: missing, required by environments.${missing.environment}.requires`));
    }
    lines.push({ text: `Total: ${data.artifacts.length} artifact${data.artifacts.length === 1 ? '' : 's'}, ${formatSize(data.totalSize)}` });
    const limit = maxSizeFact(data);
    if (limit) lines.push(item(limit.status, `max-size: ${limit.detail}`));
    const hashing = hashingFact(data);
    if (hashing !== undefined) lines.push({ text: `Hashed while copied: ${hashing}`, tone: 'dim' });
  }
  if (data.integrity.length > 0) lines.push(blank, { text: 'Integrity:' }, ...data.integrity.map((s) => item(s.status, s.name)));
  if (data.scan) {
    lines.push(blank, { text: `Secret scan (${data.scan.scanner}): ${describeScanCoverage(data.scan)}` });
    for (const finding of data.scan.findings) lines.push(item(finding.allowed ? 'warning' : 'failed', describeFinding(finding)));
  }
  const ok = record.status === 'passed' || record.status === 'warning';
  lines.push(blank, verdict('Build status', ok, 'SUCCESS', 'FAILED'));
  return [{ title: '@run:now → Build production artifacts', lines }];
}

function checkLines(checks: readonly CheckRecord[]): BoxLine[] {
  return checks.map((c) => item(c.status, `${c.name} — ${c.detail}`));
}

function deployBlock(data: EnvironmentData): Block | undefined {
  if (!data.deploy && !data.tamper) return undefined;
  const lines: BoxLine[] = [];
  if (data.url !== undefined) lines.push({ text: `Target: ${data.url}` });
  lines.push({ text: `Method: ${data.method}` });
  if (data.tamper) lines.push(item(data.tamper.status, `Artifacts: ${describeTamperCheck(data.tamper)}`));
  if (data.deploy) lines.push(blank, item(data.deploy.status, `${data.deploy.detail} (${formatDuration(data.deploy.durationMs)})`));
  lines.push(verdict('Status', data.deploy?.status === 'passed', 'COMPLETE', data.deploy ? 'FAILED' : 'NOT DEPLOYED'));
  return { title: `@run:now → Deploy to ${data.environment}`, lines };
}

function pollBlock(title: string, poll: EnvironmentData['checks'], words: [string, string, string]): Block | undefined {
  if (!poll) return undefined;
  const lines = poll.checks.length === 0 ? [{ text: 'no checks configured', tone: 'dim' as const }] : checkLines(poll.checks);
  lines.push(blank, { text: `Time elapsed: ${formatSeconds(poll.elapsedMs)} / ${formatSeconds(poll.timeoutMs)} (${poll.attempts} rounds)` });
  lines.push(verdict(words[0], poll.ok, words[1], `${words[2]}${pollEndNote(poll.ended)}`));
  return { title: `@timeout:${formatSeconds(poll.timeoutMs)} → ${title}`, lines };
}

function rollbackLines(rollback: RollbackRecord | undefined): BoxLine[] {
  if (!rollback) return [];
  const lines: BoxLine[] = [{ text: describeRollback(rollback), tone: toneOf(rollback.status) }];
  const status = rollback.status === 'passed' ? 'ROLLED BACK' : rollback.status === 'failed' ? 'FAILED' : 'SKIPPED';
  lines.push({ text: `Rollback status: ${status}`, tone: toneOf(rollback.status) });
  if (rollback.manualCommand !== undefined) lines.push(blank, { text: 'Roll back by hand:', tone: 'bad' }, { text: rollback.manualCommand, tone: 'bold' });
  return lines;
}

function present<T>(values: readonly (T | undefined)[]): T[] {
  return values.filter((v): v is T => v !== undefined);
}

function stagingBlocks(data: EnvironmentData, record: StageRecord): Block[] {
  const failure: Block | undefined =
    record.status === 'passed'
      ? undefined
      : {
          title: '⚠ SMOKE TESTS FAILED',
          lines: [{ text: '→ Rollback staging' }, ...rollbackLines(data.rollback), blank, { text: `Failure reason: ${record.notes}` }],
        };
  return present([deployBlock(data), pollBlock('Smoke tests', data.checks, ['Status', 'PASS', 'FAIL']), failure]);
}

function productionBlocks(data: ProductionData, record: StageRecord): Block[] {
  const snapshot: Block | undefined = data.snapshot && {
    title: '@run:now → Capture production state',
    lines: data.snapshot.id === undefined
      ? [{ text: 'No snapshot: first deployment, nothing to roll back to', tone: 'warn' }, { text: `Timestamp: ${data.snapshot.takenAt}` }]
      : [
          { text: 'Rollback snapshot created:' },
          { text: `- Snapshot ID: ${data.snapshot.id}` },
          { text: `- Timestamp: ${data.snapshot.takenAt}` },
          { text: `- Version: ${data.snapshot.version ?? 'unknown'}` },
          ...(data.snapshot.rollbackCommand === undefined ? [] : [blank, { text: `Rollback command: ${data.snapshot.rollbackCommand}` }]),
        ],
  };
  const failure: Block | undefined =
    record.status === 'passed'
      ? undefined
      : {
          title: '✗ HEALTH CHECK FAILED - AUTO ROLLBACK',
          lines: [
            { text: `→ Restoring snapshot: ${data.rollback?.snapshotId ?? data.snapshot?.id ?? 'none'}` },
            ...rollbackLines(data.rollback),
            blank,
            { text: `Failure reason: ${record.notes}` },
          ],
        };
  return present([snapshot, deployBlock(data), pollBlock('Health check', data.checks, ['Health', 'HEALTHY', 'UNHEALTHY']), failure]);
}

/** Mark of a metric's status: ✓ pass, ✗ fail, ⚠ inconclusive or no data, – not measured. */
const METRIC_MARK = { pass: 'passed', fail: 'failed', inconclusive: 'warning', 'no-data': 'warning', 'not-measured': 'skipped' } as const;
const METRIC_WORD = { pass: 'pass', fail: 'FAIL', inconclusive: 'inconclusive', 'no-data': 'no data', 'not-measured': 'not measured' } as const;

function verifyBlocks(data: VerifyData, record: StageRecord): Block[] {
  const [errorRate, ...others] = describeMetrics(data.metrics);
  const errors: BoxLine[] = [
    { text: `Window: ${formatDuration(data.windowMs)}` },
    { text: data.stoppedEarly ? `Stopped early: ${formatDuration(data.elapsedMs)}` : `Ran: ${formatDuration(data.elapsedMs)}`, tone: data.stoppedEarly ? 'warn' : undefined },
    { text: `Looks: ${data.looks.taken}/${data.looks.planned}`, tone: 'dim' },
    blank,
    { text: 'Error rate:' },
    { text: `Before: ${errorRate?.before}` },
    { text: `After: ${errorRate?.after}`, tone: errorRate?.status === 'fail' ? 'bad' : undefined },
    { text: `Δ: ${errorRate?.delta}` },
    item(METRIC_MARK[errorRate?.status ?? 'not-measured'], METRIC_WORD[errorRate?.status ?? 'not-measured']),
  ];
  const metrics: BoxLine[] = others.flatMap((m) => [
    item(METRIC_MARK[m.status], m.label),
    { text: `  ${m.status === 'pass' || m.status === 'fail' ? m.figures : METRIC_WORD[m.status]}`, tone: 'dim' },
  ]);
  const metricsOk = data.metrics.every((m) => m.status !== 'fail');
  const smoke = data.smoke.length === 0 ? [{ text: 'no smoke checks', tone: 'dim' as const }] : data.smoke.map((c) => item(c.status, c.name));
  const smokeOk = data.smoke.every((c) => c.status !== 'failed');
  const blocks: Block[] = [
    {
      headers: ['ERROR RATES', 'KEY METRICS', 'SMOKE TESTS'],
      columns: [errors, [...metrics, blank, verdict('Status', metricsOk, 'OK', 'ANOMALY')], [...smoke, blank, verdict('All', smokeOk, 'PASS', 'FAIL')]],
    },
  ];
  // Why each metric got its verdict: figures, samples, test and confidence, in the judge's words.
  if (data.metrics.length > 0) {
    blocks.push({
      title: `Verdicts (confidence ${Math.round(data.confidence * 1000) / 10}%)`,
      lines: describeMetrics(data.metrics)
        .filter((m) => m.status !== 'not-measured')
        .map((m) => item(METRIC_MARK[m.status], `${m.detail} [${m.source}]`)),
    });
  }
  if (data.warnings.length > 0) blocks.push({ title: '⚠ PASSED WITH WARNINGS', lines: data.warnings.map((text) => ({ text, tone: 'warn' as const })) });
  if (data.anomalies.length > 0 || (record.status !== 'passed' && record.status !== 'warning')) {
    // Not verified without an anomaly: cancelled, or nothing measured — say that, not "anomaly detected".
    const unverified = record.gates.find((gate) => gate.name === 'verification:complete' && !gate.passed);
    blocks.push({
      title: data.anomalies.length > 0 ? '⚠ ANOMALY DETECTED' : '⚠ NOT VERIFIED',
      lines: [
        ...data.anomalies.map((a) => ({ text: `${a.severity}: ${a.type.replace('-', ' ')} — ${a.detail}`, tone: a.severity === 'critical' ? ('bad' as const) : ('warn' as const) })),
        ...(unverified ? [{ text: unverified.detail, tone: 'warn' as const }] : []),
        blank,
        { text: '@fallback:rollback → Rollback production' },
        ...rollbackLines(data.rollback),
      ],
    });
  }
  return blocks;
}

function finalizeBlocks(data: FinalizeData, record: StageRecord, d: Deployment): Block[] {
  const lines: BoxLine[] = [];
  if (data.tag) lines.push(item(data.tag.status, `Release tagged: ${data.tag.name} (${data.tag.detail})`));
  if (data.record) lines.push(item(data.record.status, `Deployment record updated (${data.record.detail})`));
  if (data.changelog) lines.push(item(data.changelog.status, `Changelog generated: ${data.changelog.entries} entries (${data.changelog.detail})`));
  for (const n of data.notifications) lines.push(item(n.status, `Notified ${n.channel} (${n.detail})`));
  if (data.notifications.length === 0) lines.push(item('skipped', 'No stakeholders to notify'));
  lines.push(blank, { text: `Deployment ID: ${d.id}` });
  lines.push(record.status === 'passed' ? { text: 'Status: COMPLETE', tone: 'ok' } : { text: 'Status: COMPLETE (with warnings)', tone: 'warn' });
  return [{ title: '@run:now → Finalize deployment', lines }];
}

/** The boxes of a finished stage; a stage without data gets its notes in one box. */
export function renderStageBoxes(record: StageRecord, d: Deployment, layout: BoxLayout): string[] {
  const blocks =
    visitStageData<Block[]>(record, {
      validate: (data) => validateBlocks(data),
      build: (data, r) => buildBlocks(data, r),
      staging: (data, r) => stagingBlocks(data, r),
      production: (data, r) => productionBlocks(data, r),
      verify: (data, r) => verifyBlocks(data, r),
      finalize: (data, r) => finalizeBlocks(data, r, d),
    }) ?? [{ title: record.id, lines: [{ text: record.notes, tone: toneOf(record.status === 'passed' ? 'passed' : 'failed') }] }];
  return draw(blocks, layout);
}
