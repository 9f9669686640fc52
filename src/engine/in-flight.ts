// The window between the production deploy and a healthy verdict. If the run dies inside it, production must be rolled
// back: the action's post step does it from GITHUB_STATE, the next CLI run from the journal in the state directory.

export interface InFlightInfo {
  environment: 'production';
  snapshotId?: string;
  version: string;
  target: string;
  configFile: string;
  workspace: string;
  /** Filled in by the engine: the run that opened the window. */
  runId?: string;
  runStartedAt?: string;
  previousVersion?: string;
  environments?: ('staging' | 'production')[];
}

export interface InFlight {
  /** Called after the snapshot is persisted, right before the deploy starts. */
  opened(info: InFlightInfo): void;
  /** Called once production is healthy after verify, or rolled back (successfully or not). */
  closed(outcome: 'healthy' | 'rolled-back' | 'rollback-failed'): void;
}

export const noInFlightTracking: InFlight = { opened() {}, closed() {} };
