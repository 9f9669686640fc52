// A provider knows how to put a version into an environment and take it back out. The stages only call these
// three functions; a new provider is one file plus one registry line.
import type { EnvironmentConfig } from '../config/types.js';
import type { ProcessRunner } from '../exec/types.js';
import type { Placeholders } from '../exec/placeholders.js';

export interface ProviderContext {
  workspace: string;
  environment: EnvironmentConfig;
  placeholders: Placeholders;
  /** META_DEPLOY_* variables for commands. */
  env: Record<string, string>;
  runner: ProcessRunner;
  /** Directory holding exactly the verified artifacts. */
  artifactsDir: string;
  /** Version last recorded as deployed to this environment (from records), if any. */
  lastRecordedVersion?: string;
  label: string;
}

export interface ProviderOutcome {
  ok: boolean;
  detail: string;
  durationMs: number;
  output?: string;
}

export interface SnapshotOutcome extends ProviderOutcome {
  /** Id of what runs now; undefined when nothing is deployed yet (first deployment). */
  snapshotId?: string;
  /** Version running now, when known. */
  version?: string;
}

export interface Provider {
  kind: EnvironmentConfig['provider'];
  /** How it deploys, for the report ("command: ./deploy.sh", "local: releases + atomic symlink"). */
  describe(environment: EnvironmentConfig): string;
  snapshot(context: ProviderContext): Promise<SnapshotOutcome>;
  deploy(context: ProviderContext, version: string): Promise<ProviderOutcome>;
  rollback(context: ProviderContext, snapshotId: string): Promise<ProviderOutcome>;
}
