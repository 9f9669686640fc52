// The window between the production deploy and a healthy verdict. If the run dies inside it, production must be rolled
// back: the action's post step or the next CLI run does it, from the run journal in the state directory.
// The phases inside the window are persisted too, so whoever rolls back can say where the run stopped.
import type { EnvironmentName } from '../config/types.js';
import type { GroupTracker } from '../exec/process-groups.js';
import type { StageId } from './model.js';

export interface InFlightInfo {
  environment: 'production';
  snapshotId?: string;
  /** The version the snapshot runs, when known. */
  snapshotVersion?: string;
  version: string;
  target: string;
  configFile: string;
  workspace: string;
}

/** A run that holds the lock and starts its stages (for trackers that record the whole run). */
export interface RunInfo {
  runId: string;
  target: string;
  version: string;
  previousVersion?: string;
  environments: EnvironmentName[];
  startedAt: string;
  configFile: string;
  workspace: string;
}

/** Where a run is inside the window; `deploying` starts with `opened`. */
export type InFlightPhase = 'deploying' | 'health-checking' | 'verifying' | 'rolling-back';

/** How a report names the place a run stopped in: "the main step stopped during production verification". */
export const IN_FLIGHT_PHASE_NAMES: Record<InFlightPhase, string> = {
  deploying: 'during the production deploy',
  'health-checking': 'during the production health checks',
  verifying: 'during production verification',
  'rolling-back': 'while rolling production back',
};

/** A window a run left open: where it was, and since when (ISO), when known. */
export interface StoppedInFlight extends InFlightInfo {
  phase: InFlightPhase;
  phaseStartedAt?: string;
}

export interface InFlight {
  /** Called after the snapshot is persisted, right before the deploy starts (phase `deploying`). */
  opened(info: InFlightInfo): void;
  /** Called as the run moves on inside the window (health checks, verify, a rollback). */
  phase?(phase: Exclude<InFlightPhase, 'deploying'>): void;
  /** Called once production is healthy after verify, or rolled back (successfully or not). */
  closed(outcome: InFlightOutcome): void;
  /** The run holds the lock and starts (the run journal records the whole run). */
  runStarted?(info: RunInfo): void;
  stageStarted?(stage: StageId): void;
  /** The run is over and recorded: nothing is left for a later run to recover. */
  runEnded?(): void;
  /** The process groups of the run's commands, as they start and end: whoever recovers a killed run ends them first. */
  commandGroups?: GroupTracker;
}

export type InFlightOutcome = 'healthy' | 'rolled-back' | 'rollback-failed';
