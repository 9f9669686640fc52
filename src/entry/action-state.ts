// Main → post state: which run the main step started, and where it keeps its journal. Everything else the post step
// needs — how far the run got, production's in-flight window and its phase, the commands running — is in the run
// journal (engine/run-journal.ts), written before each step starts, so a main step killed at any moment leaves the post
// step what it needs. The run id lets the post step tell its own main step's journal from another job's. The GitHub
// deployments the run made are saved here too (they are the action's, not the engine's), so that the post step can
// close those a killed main step left in progress.
import * as core from '@actions/core';
import type { InFlight } from '../engine/in-flight.js';
import type { GitHubDeploymentRecord } from '../engine/model.js';
import { runJournal } from '../engine/run-journal.js';

const STATE_DIR = 'state-dir';
const RUN_ID = 'run-id';
const GITHUB_DEPLOYMENTS = 'github-deployments';

/** The run journal, and the run's id and state dir saved for the post step as the run starts. */
export function actionRunJournal(stateDir: string): InFlight {
  const journal = runJournal(stateDir);
  return {
    ...journal,
    runStarted(info) {
      journal.runStarted?.(info);
      core.saveState(STATE_DIR, stateDir);
      core.saveState(RUN_ID, info.runId);
    },
  };
}

/** The run the main step started, if it started one. */
export function startedRun(): { stateDir: string; runId: string } | undefined {
  const stateDir = core.getState(STATE_DIR);
  const runId = core.getState(RUN_ID);
  return stateDir && runId ? { stateDir, runId } : undefined;
}

/** Saves the run's own GitHub deployments as they are now (each save replaces the last). */
export function saveGitHubDeployments(records: GitHubDeploymentRecord[]): void {
  core.saveState(GITHUB_DEPLOYMENTS, JSON.stringify(records));
}

/** The GitHub deployments the main step made, as last saved. */
export function savedGitHubDeployments(): GitHubDeploymentRecord[] {
  const saved = core.getState(GITHUB_DEPLOYMENTS);
  return saved ? (JSON.parse(saved) as GitHubDeploymentRecord[]) : [];
}
