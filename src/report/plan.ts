// `meta-deploy plan`: the resolved plan in the seed's `@orchestration` notation — what will run, in which order,
// with which timeouts, gates and failure handling. Reads only the DeployPlan; prints no secrets (it has none).
import type { DeployPlan, PlannedBlock, PlannedStage, PlannedStep, VersionSource } from '../plan/types.js';
import { toPlainText } from './ansi.js';
import { escapeText, fence } from './markdown.js';

const BANNER = '═'.repeat(55);

const VERSION_SOURCES: Record<VersionSource, (version: string) => string> = {
  input: () => 'given as input',
  tag: () => 'from the pushed tag',
  unchanged: (version) => `no commits since v${version}: the version stays`,
  commits: () => 'next version from the conventional commits since the latest tag',
  first: () => 'first release: no version tag yet',
};

/** One line, whatever the config held (multi-line `run:` blocks are shown with ⏎). */
function oneLine(text: string): string {
  return toPlainText(text).trim().replace(/\s*\n\s*/g, ' ⏎ ');
}

/** The seed's unit: `@timeout:300s` (milliseconds only when not whole seconds). */
function timeoutTag(ms: number, name = 'timeout'): string {
  return ms % 1000 === 0 ? `@${name}:${ms / 1000}s` : `@${name}:${ms}ms`;
}

/** A block's lead: its timeout and, for a poll, `@interval:5s @failure-threshold:3 @success-threshold:1`. */
function blockTags(block: PlannedBlock): string {
  if (block.timeoutMs === undefined) return '@run:now';
  const poll = block.poll === undefined ? [] : [timeoutTag(block.poll.intervalMs, 'interval'), `@failure-threshold:${block.poll.failureThreshold}`, `@success-threshold:${block.poll.successThreshold}`];
  return [timeoutTag(block.timeoutMs), ...poll].join(' ');
}

function stepText(step: PlannedStep): string {
  const detail = step.detail === undefined || step.detail === '' ? '' : ` (${oneLine(step.detail)})`;
  const timeout = step.timeoutMs === undefined ? '' : ` ${timeoutTag(step.timeoutMs)}`;
  return `${oneLine(step.name)}${detail}${timeout}`;
}

function renderBlock(block: PlannedBlock): string[] {
  const lead = blockTags(block);
  if (block.mode === 'parallel') {
    const lines = ['@parallel[', ...block.steps.map((s) => `  → ${stepText(s)}`), ']'];
    return block.timeoutMs === undefined ? lines : [lead, ...lines];
  }
  const [only] = block.steps;
  if (block.steps.length === 1 && only) return [`${lead} → ${stepText(only)}`];
  return [lead, ...block.steps.map((s) => `→ ${stepText(s)}`)];
}

function renderStage(stage: PlannedStage, index: number): string[] {
  const title = `STAGE ${index + 1}: ${stage.title}`;
  if (!stage.run) return [BANNER, `${title} (skipped: ${oneLine(stage.skipReason ?? 'not selected')})`, BANNER];
  const lines = [BANNER, title, BANNER];
  for (const block of stage.blocks) lines.push('', ...renderBlock(block));
  if (stage.gates.length > 0) lines.push('', ...stage.gates.map((g) => `◆ ${g}`));
  if (stage.onFailure.length > 0) {
    const actions = stage.onFailure.map((a) => `  ${a.startsWith('@') ? oneLine(a) : `→ ${oneLine(a)}`}`);
    lines.push('', `@if:${stage.id}:fail`, ...actions);
  }
  return lines;
}

function renderHeader(plan: DeployPlan): string[] {
  const rows: [string, string][] = [
    ['target', plan.target],
    ['version', `${plan.version} (${VERSION_SOURCES[plan.versionSource](plan.version)}${plan.versionSource === 'input' ? '' : `; read from ${plan.versionFrom}`})`],
    ...(plan.versionNotes ?? []).map((note): [string, string] => ['history', note]),
    ['previous', plan.previousVersion ?? 'none recorded'],
    ...(plan.sha === undefined ? [] : [['commit', plan.sha] as [string, string]]),
    ['environments', plan.environments.join(', ')],
    ['config', plan.configFile],
    ['state', plan.stateDir],
  ];
  const width = Math.max(...rows.map(([key]) => key.length)) + 1;
  const lines = rows.map(([key, value]) => `# ${`${key}:`.padEnd(width)} ${oneLine(value)}`);
  if (plan.dryRun) lines.push('# dry run: nothing will be changed');
  return lines;
}

export function renderPlan(plan: DeployPlan): string {
  const body = plan.stages.flatMap((stage, index) => ['', ...renderStage(stage, index)]);
  return [
    ...renderHeader(plan),
    '',
    '@orchestration',
    '  @sequential[',
    ...body.map((line) => (line === '' ? '' : `    ${line}`)),
    '',
    '  ]',
    '@end',
  ].join('\n');
}

/** `--dry-run --json`: the whole resolved plan (the DeployPlan as it is), pretty-printed. */
export function renderPlanJson(plan: DeployPlan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** The job summary of a dry run: the plan, fenced so that no command in it can break the Markdown. */
export function renderPlanSummary(plan: DeployPlan): string {
  return `## 📋 DRY RUN — ${escapeText(plan.target)} ${escapeText(plan.version)}\n\nNothing was run or changed. The resolved plan:\n\n${fence(renderPlan(plan))}\n`;
}
