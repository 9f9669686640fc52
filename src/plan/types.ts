// The resolved plan: pure data computed from config + inputs before anything runs. `meta-deploy plan` prints it.
import type { EnvironmentName, TargetConfig } from '../config/types.js';
import type { StageId } from '../engine/model.js';
import type { VersionFrom } from './release-history.js';
import type { Commit } from './version.js';

/** `unchanged`: HEAD is exactly at a v* tag, so there is nothing new and the version stays. */
export type VersionSource = 'input' | 'tag' | 'unchanged' | 'commits' | 'first';

/** What a release brings: the commits since the previous v* tag, newest first (its changelog). */
export interface ReleaseChanges {
  /** Latest v* tag before this version, if any. */
  previousTag?: string;
  commits: Commit[];
}

export interface PlannedStep {
  /** e.g. "/meta-test unit", "Deploy to staging" */
  name: string;
  /** Command or short description shown in the plan. */
  detail?: string;
  timeoutMs?: number;
}

export interface PlannedBlock {
  mode: 'sequential' | 'parallel';
  steps: PlannedStep[];
  timeoutMs?: number;
  /** A smoke or health poll: the pause between rounds and when it ends before its timeout. */
  poll?: PlannedPoll;
}

export interface PlannedPoll {
  intervalMs: number;
  failureThreshold: number;
  successThreshold: number;
}

export interface PlannedStage {
  id: StageId;
  /** e.g. "PRE-DEPLOYMENT VALIDATION" */
  title: string;
  run: boolean;
  /** Why the stage will not run (not selected, not configured). */
  skipReason?: string;
  blocks: PlannedBlock[];
  gates: string[];
  /** e.g. ["Rollback staging", "/debug ${failures}", "ABORT deployment"] */
  onFailure: string[];
}

export interface DeployPlan {
  target: string;
  version: string;
  versionSource: VersionSource;
  /** Where the tags and commits were read. */
  versionFrom: VersionFrom;
  /** What that history lacks, one line each: the GitHub API failed and local git answered, a capped comparison. */
  versionNotes?: string[];
  /** The release's changelog, from that history. */
  changes: ReleaseChanges;
  /** https://github.com/owner/repo when known: the changelog links pull requests and commits. */
  repositoryUrl?: string;
  previousVersion?: string;
  sha?: string;
  environments: EnvironmentName[];
  configFile: string;
  workspace: string;
  stateDir: string;
  /** How long to wait for another run holding the state directory's lock. */
  lockTimeoutMs: number;
  dryRun: boolean;
  stages: PlannedStage[];
  config: TargetConfig;
}
