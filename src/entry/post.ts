// The action's post step. The runner runs it after the main step whatever happened; if the main step was killed (a job
// cancelled or timed out that did not stop in time, the runner's SIGKILL), its run journal is still in the state
// directory, and the post step finishes that run's story as the next CLI run would: production rolled back to the
// snapshot if it was changed and not yet verified, the killed run recorded with what really happened, the GitHub
// deployments the main step left in progress closed with that outcome, and where the main step stopped said in the
// log, the job summary and the records.
import * as core from '@actions/core';
import { dirname, join } from 'node:path';
import { loadConfig } from '../config/load.js';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import { createDefaultIo } from '../engine/default-io.js';
import { acquireLock, describeOwner } from '../engine/lock.js';
import { cliProgram } from '../engine/manual-rollback-command.js';
import { recoverKilledRun, whereStopped, type Recovery } from '../engine/recover-killed-run.js';
import { newRunId } from '../engine/run-id.js';
import { createRecordStore } from '../engine/records.js';
import { readJournal, type JournalEntry } from '../engine/run-journal.js';
import { secretsOf } from '../engine/secrets.js';
import { createMasker, maskDeep } from '../exec/mask.js';
import { closeKilledRunDeployments, type ClosedDeployment } from '../github/close-killed-deployments.js';
import { connectApi } from '../github/connect.js';
import { renderPostStepSummary } from '../report/summary-post-step.js';
import { createTerminalObserver } from '../report/terminal.js';
import { groupedObserver } from './action-observer.js';
import { savedGitHubDeployments, startedRun } from './action-state.js';
import { maskedStream } from './masked-stream.js';
import { dropUnwritableOutput } from './unwritable-output.js';

/** Masks the target's declared credentials and the token, as the main step did. */
async function maskerFor(entry: JournalEntry) {
  const token = core.getInput('github-token');
  const loaded = await loadConfig(entry.configFile);
  const target = loaded.ok ? loaded.config.targets[entry.target] : undefined;
  return { mask: createMasker(target ? secretsOf(target, process.env, [token]) : [token]), lockTimeoutMs: loaded.ok ? loaded.config.lockTimeoutMs : CONFIG_DEFAULTS.lockTimeoutMs };
}

/** The GitHub deployments the main step made and left in progress get the recovery's outcome as their status. */
async function closeGitHubDeployments(recovery: Recovery, mask: (text: string) => string): Promise<ClosedDeployment[]> {
  const saved = savedGitHubDeployments();
  const token = core.getInput('github-token');
  if (!token || !saved.some((record) => record.state === 'in_progress')) return [];
  const { api, context } = connectApi(token);
  const closed = await closeKilledRunDeployments(api, context, saved, recovery, mask);
  for (const notice of api.notices) core.notice(mask(`meta-deploy: ${notice}`));
  for (const { id, environment, state, description } of closed) core.info(`meta-deploy: GitHub deployment #${id} (${environment}) → ${state}: ${description}`);
  return closed;
}

async function post(): Promise<void> {
  const started = startedRun();
  let entry;
  try {
    entry = started ? readJournal(started.stateDir) : undefined;
  } catch (error) {
    core.setFailed(`meta-deploy: ${(error as Error).message}`);
    return;
  }
  // Only the run this job's main step started: a journal of another job's run (sharing the state dir) is not ours.
  if (!started || !entry || entry.runId !== started.runId) {
    core.info('meta-deploy: the main step left no unfinished run; nothing to do.');
    return;
  }
  const { stateDir } = started;
  const { mask, lockTimeoutMs } = await maskerFor(entry);
  core.warning(mask(`meta-deploy: the main step stopped ${whereStopped(entry)} of ${entry.target} ${entry.version}; finishing its run.`));
  const log = maskedStream(process.stdout, mask);
  const lock = await acquireLock({
    stateDir,
    runId: newRunId(`${entry.target}-post`, new Date()),
    target: entry.target,
    timeoutMs: lockTimeoutMs,
    onWait: (holder) => core.info(`meta-deploy: waiting for the deploy lock, held by ${describeOwner(holder)}`),
  });
  if (!lock.ok) {
    core.setFailed(mask(`meta-deploy: cannot finish the stopped run: ${lock.error}`));
    return;
  }
  let found;
  try {
    found = await recoverKilledRun({
      stateDir,
      // The rollback command's output goes to the log, in its own group.
      io: createDefaultIo(mask, groupedObserver(createTerminalObserver(log, { tty: false, color: false }))),
      // dist/post/index.js → dist/cli/index.js
      cli: cliProgram(join(dirname(process.argv[1] ?? '.'), '..', 'cli', 'index.js')),
      by: 'the post step',
      mask,
    });
  } finally {
    log.end();
    await lock.lock.release();
  }
  if (!found) {
    // Killed after its record was written (while its last GitHub statuses were still being sent): the record says
    // how it ended, and its deployments still in progress get that outcome.
    const record = (await createRecordStore(join(stateDir, 'records.jsonl')).list()).find((one) => one.id === entry.runId);
    if (record) await closeGitHubDeployments({ description: 'already recorded', stoppedAt: whereStopped(entry), record }, mask);
    core.info('meta-deploy: the stopped run was already recorded; nothing else to do.');
    return;
  }
  const recovery = maskDeep(found, mask);
  const github = await closeGitHubDeployments(recovery, mask);
  await core.summary
    .addRaw(renderPostStepSummary({ recovery, recordsFile: join(stateDir, 'records.jsonl'), github }))
    .write()
    .catch((error: Error) => core.warning(`meta-deploy: job summary not written: ${error.message}`));
  // The job has failed already (its main step was killed); the post step fails too only if production needs a human.
  if (recovery.rollback?.status === 'failed') {
    core.setFailed(`meta-deploy: ROLLBACK FAILED — ${recovery.record.reason}`);
  } else {
    core.notice(`meta-deploy: ${recovery.description}`);
  }
}

dropUnwritableOutput(process.stdout, process.stderr);
post().catch((error: Error) => core.setFailed(`meta-deploy post: internal error: ${error.stack ?? error.message}`));
