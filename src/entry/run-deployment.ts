// The one path both entry points take from a prepared plan to a finished deployment: secrets → masker → masked log →
// real IO → engine. Entry points differ only in where inputs come from and where reports go.
import { createMasker, maskDeep } from '../exec/mask.js';
import { writeFileAtomic } from '../exec/atomic-write.js';
import { renderJsonReport } from '../report/json-report.js';
import { createDefaultIo } from '../engine/default-io.js';
import type { InFlight } from '../engine/in-flight.js';
import type { Deployment } from '../engine/model.js';
import type { RunObserver } from '../engine/observer.js';
import { runDeploy } from '../engine/run-deploy.js';
import { secretsOf } from '../engine/secrets.js';
import type { TargetConfig } from '../config/types.js';
import type { DeployPlan } from '../plan/types.js';
import type { GitHubPort } from '../engine/github-port.js';
import { maskedStream } from './masked-stream.js';
import { artifactUploader } from './upload-artifacts.js';

/** The GitHub features this run would use: the action's own (deployments; the PR comment on a pull request, unless
 *  turned off) and those the config asks for (a release, PR approvals). */
export function githubFeatures(config: TargetConfig, action?: { comment: boolean }): string[] {
  return [
    ...(action ? ['deployments'] : []),
    ...(action?.comment ? ['PR comment'] : []),
    ...(config.finalize.release ? ['release'] : []),
    ...(config.validate.review.approvals > 0 ? ['PR approvals'] : []),
  ];
}

/** One notice per GitHub feature this run would use but does not, and why. */
export function githubNotices(reason: string, features: string[]): string[] {
  return features.map((feature) => `GitHub ${feature}: skipped (${reason})`);
}

export interface DeploymentRequest {
  plan: DeployPlan;
  /** Where the run's log goes (stdout, or stderr under --json). */
  log: NodeJS.WritableStream;
  /** Built once the masker exists, writing to the masked log, so that everything it prints is masked. */
  observer: (log: NodeJS.WritableStream, mask: (text: string) => string) => RunObserver;
  inFlight: InFlight;
  env: NodeJS.ProcessEnv;
  token?: string;
  /** How to start the meta-deploy CLI here (for manual rollback commands). */
  cli: string;
  /** Why the GitHub features are skipped; every run says it once per feature it would use. */
  githubUnavailable?: string;
  /** The GitHub features this run would use (githubFeatures). */
  githubFeatures?: string[];
  /** GitHub's side of the run, built once the masker exists (the action with a token). */
  github?: (mask: (text: string) => string) => GitHubPort;
  /** Called with each secret so the host (the Actions runner) can mask it too. */
  registerSecret?: (secret: string) => void;
}

export interface DeploymentRun {
  deployment: Deployment;
  mask: (text: string) => string;
}

/** Every way a user or a host stops a run: Ctrl-C, `kill`, a closed terminal or a dropped SSH session, Ctrl-\ (SIGQUIT). */
const CANCEL_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/** A cancel signal cancels the run: its commands are killed and no further stage starts, but a rollback runs to its
 *  end, so later signals do not kill the process half-way through one. */
function abortOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.stderr.write('meta-deploy: still finishing (a rollback is not interrupted); SIGKILL forces an exit\n');
    else process.stderr.write('meta-deploy: cancelling: stopping the running command, rolling back what changed\n');
    controller.abort();
  };
  for (const name of CANCEL_SIGNALS) process.on(name, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of CANCEL_SIGNALS) process.off(name, onSignal);
    },
  };
}

export async function runDeployment(request: DeploymentRequest): Promise<DeploymentRun> {
  const secrets = secretsOf(request.plan.config, request.env, [request.token]);
  secrets.forEach((secret) => request.registerSecret?.(secret));
  const mask = createMasker(secrets);
  const signals = abortOnSignals();
  const log = maskedStream(request.log, mask);
  try {
    const deployment = await runDeploy(request.plan, {
      // The journal names the process groups running, so whoever recovers a killed run can end them.
      io: createDefaultIo(mask, undefined, request.inFlight.commandGroups),
      observer: request.observer(log, mask),
      inFlight: request.inFlight,
      env: request.env,
      signal: signals.signal,
      mask,
      ...(request.githubUnavailable ? { githubUnavailable: request.githubUnavailable } : {}),
      ...(request.github ? { github: request.github(mask) } : {}),
      cli: request.cli,
      notices: request.githubUnavailable ? githubNotices(request.githubUnavailable, request.githubFeatures ?? []) : [],
      // The JSON report (the `report` output), from masked data, once the run is over.
      saveReport: async (finished) => {
        if (finished.reportFile) await writeFileAtomic(finished.reportFile, renderJsonReport(maskDeep(finished, mask)));
      },
      uploadArtifacts: artifactUploader(request.env, request.log === process.stdout ? undefined : log),
    });
    return { deployment, mask };
  } finally {
    log.end();
    signals.dispose();
  }
}

export function exitCodeOf(deployment: Deployment): number {
  return deployment.result === 'success' ? 0 : 1;
}
