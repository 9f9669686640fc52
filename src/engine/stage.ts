// What a stage is: its place in the pipeline (title, gates, what failure means), how it describes itself in the plan,
// and how it runs. Stages receive everything through StageContext, so they never spawn, print or import @actions/*.
import type { EnvironmentName, TargetConfig } from '../config/types.js';
import type { Clock, HttpClient, ProcessRunner, TcpConnector } from '../exec/types.js';
import type { Placeholders } from '../exec/placeholders.js';
import type { ProbeSample } from '../metrics/types.js';
import type { DeployPlan, PlannedBlock } from '../plan/types.js';
import type { GitHubPort } from './github-port.js';
import type { Deployment, GateRecord, Result, StageDataMap, StageId, StageStatus, StepRecord } from './model.js';
import type { RunObserver } from './observer.js';
import type { InFlight } from './in-flight.js';
import type { RecordStore } from './records.js';

export interface StageFailure {
  /** First line of the report. */
  reason: string;
  result: Result;
  /** Set when a rollback failed and a human must act. */
  manualRollback?: string;
}

export interface StageOutcome<S extends StageId = StageId> {
  status: StageStatus;
  notes: string;
  gates: GateRecord[];
  steps: StepRecord[];
  data: StageDataMap[S];
  failure?: StageFailure;
  /** Snapshot id of production, once taken. */
  snapshotId?: string;
}

export interface PlanInput {
  config: TargetConfig;
  environments: EnvironmentName[];
}

export interface StageDefinition<S extends StageId = StageId> {
  id: S;
  /** Banner title, as in the seed: "PRE-DEPLOYMENT VALIDATION". */
  title: string;
  /** Name in the Deployment Summary table. */
  label: string;
  gates: string[];
  onFailure: string[];
  /** Why this stage will not run for this plan, or undefined when it will. */
  skipReason(input: PlanInput): string | undefined;
  blocks(input: PlanInput): PlannedBlock[];
  run(context: StageContext): Promise<StageOutcome<S>>;
}

export interface StageIo {
  runner: ProcessRunner;
  http: HttpClient;
  tcp: TcpConnector;
  clock: Clock;
}

/** Values one stage hands to a later one within a run (not part of the report). */
export interface RunScratch {
  /** Probe samples of production taken while staging ran and before the production deploy (verify's baseline). */
  baseline?: ProbeSample[];
  /** Production ran nothing before this deploy (no snapshot, and no baseline probe was answered). */
  firstDeployment?: boolean;
  /** When the production deploy started (epoch ms): the end of the metrics' baseline window. */
  deployStartedAt?: number;
  /** Directory of verified artifacts, from build. */
  artifactsDir?: string;
  /** Production snapshot id, from production. */
  productionSnapshotId?: string;
  /** The version that snapshot runs, when known (`${version}` after a rollback to it). */
  productionSnapshotVersion?: string;
}

export interface StageContext {
  plan: DeployPlan;
  config: TargetConfig;
  deployment: Readonly<Deployment>;
  workspace: string;
  /** Absolute. */
  stateDir: string;
  /** Commands and sockets of this run; aborted when the run is cancelled. */
  io: StageIo;
  /** The same adapters without the cancel signal: rollbacks always run to the end. */
  rollbackIo: StageIo;
  observer: RunObserver;
  signal: AbortSignal;
  scratch: RunScratch;
  inFlight: InFlight;
  records: RecordStore;
  /** Masks declared secrets in any text that leaves the process. */
  mask: (text: string) => string;
  placeholders(environment?: EnvironmentName): Placeholders;
  /** META_DEPLOY_* variables for commands, for the given environment. */
  commandEnv(environment?: EnvironmentName): Record<string, string>;
  /** Process env (for prerequisites and notification secrets). */
  env: NodeJS.ProcessEnv;
  /** How to start the meta-deploy CLI here, for the manual rollback command in reports. */
  cli: string;
  /** Why GitHub features cannot run here (no token, not in Actions), or undefined when they can. */
  githubUnavailable?: string;
  /** The GitHub features, when they can run. */
  github?: GitHubPort;
}
