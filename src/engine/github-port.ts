// What the engine asks of GitHub, and nothing more: the engine and its stages never import Octokit. The entry point
// builds the real one (src/github/) when a token and the Actions context are there; without it the port is absent
// and each feature is a notice. No method throws, and none can turn a healthy deployment into a failed one, except
// the two gates that exist for that: PR approvals, and another run deploying the same environment.
import type { EnvironmentName } from '../config/types.js';
import type { ApprovalRecord, Deployment, FinalizeData, GitHubFacts, StageRecord } from './model.js';

/** Another run's deployment of the same environment and target may still be in progress. */
export type EnvironmentClaim = { ok: true } | { ok: false; reason: string };

export interface ReleaseInput {
  /** Tag name from `finalize.tag`, e.g. v1.3.0. */
  tag: string;
  target: string;
  version: string;
  /** Markdown body of the release (the changelog, grouped by type, with PR links). */
  notes: string;
  /** Whether to create a GitHub release too (`finalize.release`), or the tag only. */
  release: boolean;
}

/** What finalize's tag and release came to: the release is absent when `finalize.release` is false. */
export interface PublishedRelease {
  tag: NonNullable<FinalizeData['tag']>;
  release?: NonNullable<FinalizeData['release']>;
  /** The release's page (the `release-url` output), when there is one. */
  releaseUrl?: string;
}

export interface GitHubPort {
  /** Validate: approvals on the pull request that brought the commit (latest review per reviewer). */
  countApprovals(required: number): Promise<ApprovalRecord>;
  /** Before any command touches an environment: waits (up to lock-timeout, or until the signal) for another run's
   *  in-progress deployment of the same environment and target, then creates this run's deployment, in_progress.
   *  ok:false only when the other run still holds it; every GitHub error is a notice and the claim succeeds. `url`:
   *  the environment's address (placeholders expanded), shown on GitHub without any credentials in it. */
  claimEnvironment(environment: EnvironmentName, signal: AbortSignal, url?: string): Promise<EnvironmentClaim>;
  /** After each stage (sent in the background, in order): deployment statuses follow the model (staging success or failure, production success once
   *  verified, failure "rolled back to 1.4.2"), and the sticky PR comment is edited (at most once per stage). */
  stageFinished(record: StageRecord, deployment: Deployment): Promise<void>;
  /** Finalize: the annotated tag and the release through the API (a rerun finds them and says so). */
  release(input: ReleaseInput): Promise<PublishedRelease>;
  /** The run is over: deployments still in progress are closed, the comment gets the full summary, and a failed or
   *  rolled-back production deployment opens (or comments on) the alert issue when configured. */
  finished(deployment: Deployment): Promise<void>;
  /** What GitHub did in this run, for the reports. */
  facts(): GitHubFacts;
  /** The `deployment-id` output: production's GitHub deployment, else the last environment's. */
  deploymentId(): string | undefined;
  /** One line each for what GitHub refused or could not do (a 403 names the permission to add). */
  notices(): string[];
}
