// The action's post step: if the main step died between the production deploy and a healthy verdict (cancelled,
// killed, timed out), roll production back to the snapshot taken before the deploy, say where the main step stopped,
// and leave a job summary section and a record (so `history` shows it).
import * as core from '@actions/core';
import { dirname, join } from 'node:path';
import { cliProgram } from '../engine/manual-rollback-command.js';
import { createMasker, maskDeep } from '../exec/mask.js';
import { createDefaultIo } from '../engine/default-io.js';
import { IN_FLIGHT_PHASE_NAMES, type StoppedInFlight } from '../engine/in-flight.js';
import { rollbackEnvironment, type RollbackResult } from '../engine/rollback-environment.js';
import { secretsOf } from '../engine/secrets.js';
import { stateDirOf } from '../plan/plan-deploy.js';
import { loadRequestedConfig } from '../plan/prepare-run.js';
import { renderPostRollbackSummary } from '../report/summary-post-rollback.js';
import { createTerminalObserver } from '../report/terminal.js';
import { groupedObserver } from './action-observer.js';
import { unfinishedDeploy } from './action-state.js';
import { maskedStream } from './masked-stream.js';
import { dropUnwritableOutput } from './unwritable-output.js';

/** "the main step stopped during production verification (web 1.1.0, verifying since 2026-…Z)" */
function describeStop(stopped: StoppedInFlight): string {
  const since = stopped.phaseStartedAt ? ` since ${stopped.phaseStartedAt}` : '';
  return `the main step stopped ${IN_FLIGHT_PHASE_NAMES[stopped.phase]} (${stopped.target} ${stopped.version}, ${stopped.phase}${since})`;
}

async function post(): Promise<void> {
  const unfinished = unfinishedDeploy();
  if (!unfinished) {
    core.info('meta-deploy: no production deploy was left unfinished; nothing to do.');
    return;
  }
  const stopped = describeStop(unfinished);
  core.warning(`meta-deploy: ${stopped}; rolling production back.`);
  // A summary that cannot be written must not hide the rollback's own verdict below.
  const report = (rollback: RollbackResult, recordsFile?: string) =>
    core.summary
      .addRaw(renderPostRollbackSummary({ target: unfinished.target, version: unfinished.version, stopped, rollback, recordsFile }))
      .write()
      .catch((error: Error) => core.warning(`meta-deploy: job summary not written: ${error.message}`));
  const cannot = async (detail: string) => {
    await report({ ok: false, detail });
    core.setFailed(`meta-deploy: ${detail}`);
  };
  if (!unfinished.snapshotId) {
    return cannot('nothing to roll back to (first deployment to production); production may be running a partial deploy.');
  }
  const config = await loadRequestedConfig(unfinished.workspace, unfinished.configFile);
  if (!config.ok) return cannot(`cannot roll back, the config no longer loads:\n${config.message}`);
  const target = config.value.targets[unfinished.target];
  if (!target) return cannot(`cannot roll back, target ${JSON.stringify(unfinished.target)} is no longer in ${unfinished.configFile}`);
  const stateDir = stateDirOf(config.value, unfinished.workspace);
  const mask = createMasker(secretsOf(target, process.env, [core.getInput('github-token')]));
  const log = maskedStream(process.stdout, mask);
  const result = maskDeep(await rollbackEnvironment({
    config: target,
    configFile: unfinished.configFile,
    target: unfinished.target,
    environment: 'production',
    snapshotId: unfinished.snapshotId,
    snapshotVersion: unfinished.snapshotVersion,
    version: unfinished.version,
    cause: `post step: ${stopped}`,
    // dist/post/index.js → dist/cli/index.js
    cli: cliProgram(join(dirname(process.argv[1] ?? '.'), '..', 'cli', 'index.js')),
    workspace: unfinished.workspace,
    stateDir,
    // The rollback command's output goes to the log, in its own group.
    io: createDefaultIo(mask, groupedObserver(createTerminalObserver(log, { tty: false, color: false }))),
  }), mask);
  log.end();
  await report(result, join(stateDir, 'records.jsonl'));
  if (result.ok) {
    core.notice(`meta-deploy: ${stopped}; production rolled back — ${result.detail}`);
  } else {
    core.setFailed(`meta-deploy: ROLLBACK FAILED — ${result.detail}${result.manualCommand ? `\nRoll back by hand: ${result.manualCommand}` : ''}`);
  }
}

dropUnwritableOutput(process.stdout, process.stderr);
post().catch((error: Error) => core.setFailed(`meta-deploy post: internal error: ${error.stack ?? error.message}`));
