// The action's post step: if the main step died between the production deploy and a healthy verdict (cancelled,
// killed, timed out), roll production back to the snapshot taken before the deploy.
import * as core from '@actions/core';
import { dirname, join } from 'node:path';
import { cliProgram } from '../engine/manual-rollback-command.js';
import { createMasker } from '../exec/mask.js';
import { createDefaultIo } from '../engine/default-io.js';
import { rollbackEnvironment } from '../engine/rollback-environment.js';
import { secretsOf } from '../engine/secrets.js';
import { stateDirOf } from '../plan/plan-deploy.js';
import { loadRequestedConfig } from '../plan/prepare-run.js';
import { createTerminalObserver } from '../report/terminal.js';
import { groupedObserver } from './action-observer.js';
import { unfinishedDeploy } from './action-state.js';
import { maskedStream } from './masked-stream.js';
import { dropUnwritableOutput } from './unwritable-output.js';

async function post(): Promise<void> {
  const unfinished = unfinishedDeploy();
  if (!unfinished) {
    core.info('meta-deploy: no production deploy was left unfinished; nothing to do.');
    return;
  }
  core.warning(`meta-deploy: the main step stopped while deploying ${unfinished.target} ${unfinished.version} to production; rolling back.`);
  if (!unfinished.snapshotId) {
    core.setFailed('meta-deploy: nothing to roll back to (first deployment to production); production may be running a partial deploy.');
    return;
  }
  const config = await loadRequestedConfig(unfinished.workspace, unfinished.configFile);
  if (!config.ok) {
    core.setFailed(`meta-deploy: cannot roll back, the config no longer loads:\n${config.message}`);
    return;
  }
  const target = config.value.targets[unfinished.target];
  if (!target) {
    core.setFailed(`meta-deploy: cannot roll back, target ${JSON.stringify(unfinished.target)} is no longer in ${unfinished.configFile}`);
    return;
  }
  const mask = createMasker(secretsOf(target, process.env, [core.getInput('github-token')]));
  const log = maskedStream(process.stdout, mask);
  const result = await rollbackEnvironment({
    config: target,
    configFile: unfinished.configFile,
    target: unfinished.target,
    environment: 'production',
    snapshotId: unfinished.snapshotId,
    version: unfinished.version,
    // dist/post/index.js → dist/cli/index.js
    cli: cliProgram(join(dirname(process.argv[1] ?? '.'), '..', 'cli', 'index.js')),
    workspace: unfinished.workspace,
    stateDir: stateDirOf(config.value, unfinished.workspace),
    // The rollback command's output goes to the log, in its own group.
    io: createDefaultIo(mask, groupedObserver(createTerminalObserver(log, { tty: false, color: false }))),
  });
  log.end();
  if (result.ok) {
    core.notice(`meta-deploy: production rolled back — ${result.detail}`);
  } else {
    core.setFailed(`meta-deploy: ROLLBACK FAILED — ${result.detail}${result.manualCommand ? `\nRoll back by hand: ${result.manualCommand}` : ''}`);
  }
}

dropUnwritableOutput(process.stdout, process.stderr);
post().catch((error: Error) => core.setFailed(`meta-deploy post: internal error: ${error.stack ?? error.message}`));
