// Stage 1: tests, review checks and prerequisites, all in parallel (each branch's items in parallel too).
// Adds: ValidateData (test counts, review scores per category, prerequisites checklist) and three gates.
// Failure: nothing has been deployed; the run stops with result `failed`.
import { resolve } from 'node:path';
import type { CheckCategory, CommandStepConfig, PrerequisitesConfig, TestConfig } from '../config/types.js';
import { formatSize } from '../config/units.js';
import type { ApprovalRecord, ReviewCategoryRecord, TestRunRecord, ValidateData } from '../engine/model.js';
import type { StageContext, StageDefinition, StageOutcome } from '../engine/stage.js';
import { runUserCommand, startStep } from '../engine/steps.js';
import { commandSucceeded, describeExit } from '../exec/describe-exit.js';
import { expandText, type Placeholders } from '../exec/placeholders.js';
import { readJunit } from '../junit/read-junit.js';
import { checkPrerequisites } from '../prerequisites/check-prerequisites.js';
import { describeValidation } from '../report/stage-facts.js';

const CATEGORIES: CheckCategory[] = ['correctness', 'security', 'performance'];

/** Files and addresses may name the target or version (`deploy/${target}.env`); the config allows only those. */
function withPlaceholders(prerequisites: PrerequisitesConfig, placeholders: Placeholders): PrerequisitesConfig {
  const expand = (text: string) => expandText(text, placeholders);
  return { ...prerequisites, files: prerequisites.files.map(expand), reachable: prerequisites.reachable.map(expand) };
}

/** One validation command (a test run or a review check), timed, with its output kept when it fails. */
async function runValidationCommand(context: StageContext, label: string, step: CommandStepConfig) {
  const timer = startStep(context);
  const result = await runUserCommand(context, { label, command: step.run, timeoutMs: step.timeoutMs });
  const ok = commandSucceeded(result);
  return {
    name: step.name,
    status: ok ? ('passed' as const) : ('failed' as const),
    durationMs: timer.elapsedMs(),
    detail: ok ? 'exit 0' : describeExit(result, step.timeoutMs),
    ...(ok ? {} : { output: result.output }),
  };
}

async function runTest(context: StageContext, test: TestConfig): Promise<TestRunRecord> {
  const record: TestRunRecord = await runValidationCommand(context, `validate/${test.name}`, test);
  if (test.junit) {
    const counts = await readJunit(resolve(context.workspace, test.junit));
    if ('error' in counts) {
      record.detail += ` · JUnit: ${counts.error}`;
    } else {
      record.counts = counts;
      // A runner that reports failures but exits 0 still fails the gate.
      if (counts.failed > 0) record.status = 'failed';
      record.detail = `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped · ${record.detail}`;
    }
  }
  return record;
}

/** Approvals are counted on GitHub; when they cannot be, the gate fails: a gate passes only on evidence. */
async function approvalsOf(context: StageContext): Promise<ApprovalRecord> {
  const required = context.config.validate.review.approvals;
  if (required === 0) return { required, status: 'skipped', detail: 'not required (approvals: 0)' };
  if (context.github) return context.github.countApprovals(required);
  const why = context.githubUnavailable ?? 'no GitHub token';
  return { required, status: 'failed', detail: `cannot count approvals: ${why} (set validate.review.approvals: 0 to deploy without them)` };
}

async function runReview(context: StageContext) {
  const { checks: configured } = context.config.validate.review;
  const [results, approvals] = await Promise.all([Promise.all(configured.map((check) => runValidationCommand(context, `review/${check.name}`, check))), approvalsOf(context)]);
  const categories: ReviewCategoryRecord[] = CATEGORIES.map((category) => {
    const checks = results.filter((_, index) => configured[index]!.category === category);
    const passed = checks.filter((check) => check.status === 'passed').length;
    return { category, ...(checks.length ? { score: Math.round((10 * passed) / checks.length) } : {}), checks };
  });
  return { categories, approvals };
}

function count<T>(items: T[], passed: (item: T) => boolean): string {
  return `${items.filter(passed).length}/${items.length}`;
}

export const validateStage: StageDefinition<'validate'> = {
  id: 'validate',
  title: 'PRE-DEPLOYMENT VALIDATION',
  label: 'Validation',
  gates: ['tests:pass', 'review:approved', 'prerequisites:met'],
  onFailure: ['ABORT deployment (nothing deployed)'],
  skipReason: () => undefined,
  blocks: ({ config }) => [
    {
      mode: 'parallel',
      steps: [
        { name: '/meta-test', detail: config.validate.tests.map((test) => test.name).join(', ') || 'no tests configured' },
        { name: '/meta-review', detail: config.validate.review.checks.map((check) => check.name).join(', ') || 'no review checks configured' },
        { name: 'Check deployment prerequisites' },
      ],
    },
  ],

  async run(context): Promise<StageOutcome<'validate'>> {
    const { validate } = context.config;
    const branch = async <T>(work: () => Promise<T>) => {
      const timer = startStep(context);
      const value = await work();
      return { value, ms: timer.elapsedMs(), startedAt: timer.startedAt };
    };
    const [tests, review, prerequisites] = await Promise.all([
      branch(() => Promise.all(validate.tests.map((test) => runTest(context, test)))),
      branch(() => runReview(context)),
      branch(() =>
        checkPrerequisites(withPlaceholders(validate.prerequisites, context.placeholders()), {
          workspace: context.workspace,
          env: context.env,
          http: context.io.http,
          tcp: context.io.tcp,
          formatSize,
        }),
      ),
    ]);

    const data: ValidateData = {
      tests: tests.value,
      review: review.value,
      prerequisites: prerequisites.value,
      branchMs: { tests: tests.ms, review: review.ms, prerequisites: prerequisites.ms },
    };
    const reviewChecks = review.value.categories.flatMap((category) => category.checks);
    const { approvals } = review.value;
    const testsPass = tests.value.every((test) => test.status === 'passed');
    const reviewPass = reviewChecks.every((check) => check.status === 'passed') && approvals.status !== 'failed';
    const prerequisitesMet = prerequisites.value.every((item) => item.status === 'passed');
    const gates = [
      { name: 'tests:pass', passed: testsPass, detail: `${count(tests.value, (test) => test.status === 'passed')} test runs passed` },
      { name: 'review:approved', passed: reviewPass, detail: `${count(reviewChecks, (check) => check.status === 'passed')} review checks passed; ${approvals.status === 'failed' ? approvals.detail : `approvals ${approvals.detail}`}` },
      { name: 'prerequisites:met', passed: prerequisitesMet, detail: `${count(prerequisites.value, (item) => item.status === 'passed')} prerequisites met` },
    ];
    const notes = describeValidation(data);
    const steps = [
      { name: 'Tests', branch: tests, ok: testsPass },
      { name: 'Review', branch: review, ok: reviewPass },
      { name: 'Prerequisites', branch: prerequisites, ok: prerequisitesMet },
    ].map(({ name, branch: { ms, startedAt }, ok }) => ({ name, status: ok ? ('passed' as const) : ('failed' as const), startedAt, durationMs: ms, detail: ok ? 'passed' : 'failed' }));

    const failedGates = gates.filter((gate) => !gate.passed);
    if (failedGates.length === 0) return { status: 'passed', notes, gates, steps, data };
    return {
      status: 'failed',
      notes,
      gates,
      steps,
      data,
      failure: { result: 'failed', reason: `validation failed: ${failedGates.map((gate) => `${gate.name} (${gate.detail})`).join('; ')}` },
    };
  },
};
