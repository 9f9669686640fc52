// The fault matrix: every way a run can be interrupted × every moment of the pipeline, through the bundled entry
// points exactly as users start them — `node dist/cli/index.js run` on a terminal or in another CI system, and
// `node dist/index.js` then `node dist/post/index.js` as the Actions runner does. Each cell asserts that the run ends,
// that nothing it started is left running, that production serves the previous release or the new *verified* one —
// never a new unverified one — and that the record and the reported result say which.
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT, runnerFiles, runNode, type RunnerFiles } from '../support/runner-files.js';
import { faultWorkspace, MOMENTS, NEXT, PREVIOUS, type FaultWorkspace, type Moment } from './fault-workspace.js';
import { leftoversIn, startNode, type Started } from './processes.js';

const INTERRUPTIONS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'pipe closed, then SIGINT', 'SIGKILL, then recovery'] as const;
type Interruption = (typeof INTERRUPTIONS)[number];
type Entry = 'cli' | 'action';

/** How long a run may take to end after it was interrupted (a rollback included). */
const END_WITHIN_MS = 45_000;

/** What a run interrupted at a moment must end with. */
function expectedOutcome(moment: Moment): { result: 'failed' | 'rolled-back' | 'success'; production: string; failedStage?: string } {
  switch (moment) {
    case 'build':
      return { result: 'failed', production: PREVIOUS, failedStage: 'build' };
    case 'staging deploy':
    case 'staging smoke':
      return { result: 'failed', production: PREVIOUS, failedStage: 'staging' };
    case 'production snapshot':
      return { result: 'failed', production: PREVIOUS, failedStage: 'production' };
    case 'production deploy':
    case 'production health':
      return { result: 'rolled-back', production: PREVIOUS, failedStage: 'production' };
    case 'verify':
      return { result: 'rolled-back', production: PREVIOUS, failedStage: 'verify' };
    case 'finalize':
      // Production was verified before finalize started: the healthy deployment stays.
      return { result: 'success', production: NEXT };
  }
}

const outcomes = new Map<string, string>();
const key = (entry: Entry, interruption: Interruption, moment: Moment) => `${entry}|${interruption}|${moment}`;

function start(entry: Entry, workspace: FaultWorkspace, moment: Moment, runner?: RunnerFiles): Started {
  if (entry === 'cli') {
    return startNode(join(ROOT, 'dist', 'cli', 'index.js'), ['run', '--version', NEXT], { cwd: workspace.dir, env: workspace.env(moment) });
  }
  return startNode(join(ROOT, 'dist', 'index.js'), [], { cwd: workspace.dir, env: { ...runner!.env, ...workspace.env(moment) } });
}

async function interrupt(run: Started, interruption: Interruption): Promise<void> {
  switch (interruption) {
    case 'SIGINT':
    case 'SIGTERM':
    case 'SIGHUP':
      process.kill(run.pid, interruption);
      return;
    case 'pipe closed, then SIGINT':
      // `meta-deploy run | tee log` and the tee dies: every later write hits a closed pipe.
      run.child.stdout.destroy();
      run.child.stderr.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      process.kill(run.pid, 'SIGINT');
      return;
    case 'SIGKILL, then recovery':
      // Only meta-deploy itself: the command it was running leads its own process group and lives on, as it does
      // when a runner or the OOM killer takes the process alone. Whoever recovers must end it.
      process.kill(run.pid, 'SIGKILL');
      return;
  }
}

/** The Actions runner's post step, with the state the main step saved. */
async function postStep(workspace: FaultWorkspace, runner: RunnerFiles) {
  const state = await runner.state();
  const env: Record<string, string> = { ...runner.env, ...workspace.env() };
  for (const [name, value] of Object.entries(state)) env[`STATE_${name}`] = value;
  return runNode('dist/post/index.js', env, { cwd: workspace.dir });
}

async function cell(entry: Entry, interruption: Interruption, moment: Moment): Promise<void> {
  await using workspace = await faultWorkspace({ hangFinalize: moment === 'finalize' });
  const runner = entry === 'action' ? await runnerFiles(workspace.dir, { version: NEXT }) : undefined;
  const run = start(entry, workspace, moment, runner);
  await workspace.reached(moment).catch((error: Error) => {
    throw new Error(`${error.message}\n--- stdout\n${run.stdout().slice(-6000)}\n--- stderr\n${run.stderr().slice(-3000)}`);
  });
  await interrupt(run, interruption);
  const ended = await run.ended(END_WITHIN_MS);
  const expected = expectedOutcome(moment);
  const killed = interruption.startsWith('SIGKILL');
  const log = () => `--- stdout\n${run.stdout().slice(-4000)}\n--- stderr\n${run.stderr().slice(-4000)}`;

  // Recovery: the runner always runs the post step; on the command line the next run finds what the dead one left.
  let recovery = '';
  if (entry === 'action') {
    const post = await postStep(workspace, runner!);
    recovery = post.stdout + post.stderr;
  } else if (killed) {
    // The next run recovers the killed one first; it deploys staging only, so production stays as recovery left it.
    const next = await runNode('dist/cli/index.js', workspace.env(), { cwd: workspace.dir, args: ['run', '--version', NEXT, '--environments', 'staging'] });
    recovery = next.stdout + next.stderr;
    expect(next.code, `the next run after the kill\n${recovery}`).toBe(0);
  }

  expect(await leftoversIn(workspace.dir), `processes left running\n${log()}`).toEqual([]);
  const records = await workspace.records();
  const interrupted = records[0];
  expect(interrupted, `no record of the interrupted run\n${log()}\n--- recovery\n${recovery}`).toBeDefined();

  if (killed) {
    // The killed run never reported; what recovered from it says what happened, and the record keeps it.
    expect(await workspace.productionVersion(), `production after recovery\n${recovery}`).toBe(expected.production);
    if (entry === 'cli') expect(records.at(-1)).toMatchObject({ result: 'success', version: NEXT, environments: ['staging'] });
    expect(interrupted, JSON.stringify(interrupted)).toMatchObject({ version: NEXT, result: expected.result, ...(expected.failedStage ? { failedStage: expected.failedStage } : {}) });
    if (expected.result !== 'success') expect(String(interrupted!.reason)).toMatch(/^killed /);
    // Recorded once: by itself (finalize writes the record) or by its recovery, never both.
    expect(records.filter((record) => record.id === interrupted!.id)).toHaveLength(1);
    expect((interrupted!.deployedTo as string[]).includes('production'), JSON.stringify(interrupted)).toBe(expected.production === NEXT);
    outcomes.set(key(entry, interruption, moment), `${interrupted!.result} · prod ${expected.production}`);
    return;
  }

  expect(ended.code, `exit code\n${log()}`).toBe(expected.result === 'success' ? 0 : 1);
  expect(await workspace.productionVersion(), `production serves\n${log()}`).toBe(expected.production);
  expect(interrupted, log()).toMatchObject({ result: expected.result, version: NEXT, ...(expected.failedStage ? { failedStage: expected.failedStage } : {}) });
  if (expected.result !== 'success') expect(String(interrupted!.reason), log()).toMatch(/cancel/i);
  // A poll stopped by the cancel says so, not that its checks failed for the whole timeout.
  if (moment === 'staging smoke' || moment === 'production health') expect(String(interrupted!.reason), log()).toMatch(/when the run was cancelled, [\d.]+m?s in/);
  const deployedTo = interrupted!.deployedTo as string[];
  expect(deployedTo.includes('production'), JSON.stringify(interrupted)).toBe(expected.production === NEXT);
  if (entry === 'action') {
    const outputs = await runner!.outputs();
    expect(outputs.result, log()).toBe(expected.result);
    // The main step ended the run itself: its post step has nothing left to do.
    expect(await workspace.productionVersion()).toBe(expected.production);
    expect(records, recovery).toHaveLength(1);
  }
  outcomes.set(key(entry, interruption, moment), `${expected.result} · prod ${expected.production}`);
}

for (const entry of ['cli', 'action'] as const) {
  describe.concurrent(`fault matrix: ${entry === 'cli' ? 'dist/cli/index.js run' : 'dist/index.js + dist/post/index.js'}`, () => {
    for (const interruption of INTERRUPTIONS) {
      test.each(MOMENTS)(`${interruption} during %s`, async (moment) => {
        try {
          await cell(entry, interruption, moment);
        } catch (error) {
          outcomes.set(key(entry, interruption, moment), `FAILED: ${(error as Error).message.split('\n')[0]}`);
          throw error;
        }
      });
    }
  });
}

afterAll(() => {
  const lines: string[] = [];
  for (const entry of ['cli', 'action'] as const) {
    const rows = MOMENTS.map((moment) => [moment, ...INTERRUPTIONS.map((interruption) => outcomes.get(key(entry, interruption, moment)) ?? 'not run')]);
    const header = ['moment', ...INTERRUPTIONS];
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
    const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
    lines.push('', entry === 'cli' ? 'CLI: dist/cli/index.js run (recovery: the next run)' : 'Action: dist/index.js, then dist/post/index.js (recovery: the post step)');
    lines.push(line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line));
  }
  console.log(lines.join('\n'));
});
