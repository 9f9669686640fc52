// The window between the production deploy and a healthy verdict. The action's post step rolls production back if
// the main step dies inside it, so the entry point persists these transitions (GITHUB_STATE) as they happen.

export interface InFlightInfo {
  environment: 'production';
  snapshotId?: string;
  version: string;
  target: string;
  configFile: string;
  workspace: string;
}

export interface InFlight {
  /** Called after the snapshot is persisted, right before the deploy starts. */
  opened(info: InFlightInfo): void;
  /** Called once production is healthy after verify, or rolled back (successfully or not). */
  closed(outcome: 'healthy' | 'rolled-back' | 'rollback-failed'): void;
}

export const noInFlightTracking: InFlight = { opened() {}, closed() {} };
