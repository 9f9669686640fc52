// The action's main step: inputs → plan → run → outputs, job summary, exit code. A run that cannot start (bad inputs,
// a bad config) still sets `result`, writes a summary, and annotates each config problem at its file, line and column.
import * as core from '@actions/core';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { ConfigProblem } from '../config/problems.js';
import { formatDuration } from '../config/units.js';
import { cliProgram } from '../engine/manual-rollback-command.js';
import { maskDeep } from '../exec/mask.js';
import { prepareRun } from '../plan/prepare-run.js';
import { renderPlan, renderPlanSummary } from '../report/plan.js';
import { renderNotStartedSummary } from '../report/summary-not-started.js';
import { renderSummary } from '../report/summary.js';
import { createTerminalObserver } from '../report/terminal.js';
import { readActionSettings } from './action-inputs.js';
import { groupedObserver } from './action-observer.js';
import { actionRunJournal, saveGitHubDeployments } from './action-state.js';
import { exitCodeOf, githubFeatures, githubNotices, runDeployment } from './run-deployment.js';
import { dropUnwritableOutput } from './unwritable-output.js';
import { connectGitHub } from '../github/connect.js';

async function main(): Promise<void> {
  const settings = readActionSettings();
  if ('error' in settings) return notStarted(settings.error);
  if (settings.token) core.setSecret(settings.token);
  // With a token in Actions, the version, the previous version and every GitHub feature go through the API.
  const github = settings.githubUnavailable === undefined && settings.token ? connectGitHub(settings.token, settings.workspace) : undefined;
  const prepared = await prepareRun({ ...settings, ...github?.planSources, ...(github ? { sha: github.context.sha } : {}) });
  if (!prepared.ok) return notStarted(prepared.message, prepared.problems?.map((problem) => inWorkspace(problem, settings.workspace)));
  const { plan } = prepared.value;
  core.setOutput('version', plan.version);
  if (plan.dryRun) {
    core.info(renderPlan(plan));
    await core.summary.addRaw(renderPlanSummary(plan)).write();
    core.setOutput('previous-version', plan.previousVersion ?? '');
    core.setOutput('result', 'success');
    return;
  }
  // Without GitHub: one notice per feature this run would have used, said once, before the run. Without a token a
  // push cannot tell whether a pull request brought it, so only a pull_request event says the comment was skipped.
  const onPullRequest = /^pull_request/.test(process.env.GITHUB_EVENT_NAME ?? '');
  const features = githubFeatures(plan.config, { comment: settings.comment === 'update' && onPullRequest });
  if (settings.githubUnavailable) githubNotices(settings.githubUnavailable, features).forEach((notice) => core.notice(notice));

  const { deployment, mask } = await runDeployment({
    plan,
    // The runner masks registered secrets in the log too; masking here also covers non-Actions hosts of dist/.
    log: process.stdout,
    observer: (log) => groupedObserver(createTerminalObserver(log, { tty: false, color: false })),
    // The run journals itself in the state dir; if this step is killed, the post step finds the journal there.
    inFlight: actionRunJournal(plan.stateDir),
    env: process.env,
    token: settings.token,
    ...(settings.githubUnavailable ? { githubUnavailable: settings.githubUnavailable, githubFeatures: features } : {}),
    // Its GitHub deployments are saved as they change: if this step is killed, the post step closes them.
    ...(github ? { github: (mask: (text: string) => string) => github.port(plan, { comment: settings.comment === 'update', mask, onDeploymentsChanged: saveGitHubDeployments }) } : {}),
    // The CLI is bundled beside the action: dist/index.js → dist/cli/index.js.
    cli: cliProgram(join(dirname(process.argv[1] ?? '.'), 'cli', 'index.js')),
    registerSecret: (secret) => core.setSecret(secret),
  });

  core.setOutput('result', deployment.result);
  core.setOutput('previous-version', deployment.previousVersion ?? '');
  core.setOutput('failed-stage', deployment.failedStage ?? '');
  core.setOutput('snapshot-id', deployment.snapshotId ?? '');
  core.setOutput('deployment-id', deployment.deploymentId ?? '');
  core.setOutput('release-url', deployment.releaseUrl ?? '');
  core.setOutput('report', deployment.reportFile ?? '');
  core.setOutput('duration-seconds', String(Math.round((deployment.durationMs ?? 0) / 1000)));
  const upload = deployment.stages.build.data?.upload;
  if (upload?.status === 'warning') core.warning(mask(`artifact upload: ${upload.detail}`));
  await core.summary.addRaw(renderSummary(maskDeep(deployment, mask))).write();
  if (exitCodeOf(deployment) !== 0) {
    core.setFailed(mask(`${deployment.result?.toUpperCase()}: ${deployment.reason ?? 'deployment did not succeed'} (${formatDuration(deployment.durationMs ?? 0)})`));
  }
}

/** Annotations and the summary name the config file as the repository does (relative to the workspace). */
function inWorkspace(problem: ConfigProblem, workspace: string): ConfigProblem {
  const file = relative(workspace, problem.file);
  return file.startsWith('..') || isAbsolute(file) ? problem : { ...problem, file };
}

/** Bad usage or config (exit 2): nothing ran, so the stage that failed is validate. */
async function notStarted(reason: string, problems?: ConfigProblem[]): Promise<void> {
  process.exitCode = 2;
  core.setOutput('result', 'failed');
  core.setOutput('failed-stage', 'validate');
  if (problems?.length) {
    for (const problem of problems) {
      core.error(problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`, {
        title: 'meta-deploy config',
        file: problem.file,
        startLine: problem.line,
        startColumn: problem.column,
      });
    }
  } else {
    core.error(reason);
  }
  await core.summary
    .addRaw(renderNotStartedSummary({ reason, problems }))
    .write()
    .catch((error: Error) => core.warning(`job summary not written: ${error.message}`));
}

dropUnwritableOutput(process.stdout, process.stderr);
main().catch((error: Error) => core.setFailed(`meta-deploy: internal error: ${error.stack ?? error.message}`));
