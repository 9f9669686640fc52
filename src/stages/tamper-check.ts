// Right before an environment's deploy (before its snapshot or any command): the artifact directory handed to it is
// checked against the SHA256SUMS written at build time, at the depth of `build.verify-before-deploy`, and that
// SHA256SUMS must be the one the build wrote (its SHA-256, kept by the run). A changed, missing or extra file, or a
// rewritten manifest, stops that deploy, naming it.
import { verifyAgainstManifest } from '../artifacts/verify-manifest.js';
import type { EnvironmentName } from '../config/types.js';
import type { TamperCheckRecord } from '../engine/model.js';
import type { StageContext } from '../engine/stage.js';

/** Undefined when the build handed no artifacts (none configured): there is nothing to check. */
export async function checkArtifactsBeforeDeploy(context: StageContext, environment: EnvironmentName): Promise<TamperCheckRecord | undefined> {
  const dir = context.scratch.artifactsDir;
  if (dir === undefined) return undefined;
  const depth = context.config.build.verifyBeforeDeploy;
  context.observer.progress(environment, `checking the artifacts against SHA256SUMS (${depth === 'full' ? 'full hash' : 'size and mtime'})`);
  const started = context.io.clock.now();
  const build = context.deployment.stages.build.data;
  const check = await verifyAgainstManifest(dir, depth, { artifacts: build?.artifacts ?? [], ...(build?.manifestSha256 ? { manifestSha256: build.manifestSha256 } : {}) });
  return {
    status: check.problems.length ? 'failed' : 'passed',
    mode: depth === 'full' ? 'full hash' : 'size and mtime',
    files: check.files,
    durationMs: context.io.clock.now() - started,
    problems: check.problems,
  };
}

/** Why the deploy must not run, or undefined when the check passed. */
export function tamperReason(environment: EnvironmentName, record: TamperCheckRecord | undefined): string | undefined {
  if (record?.status !== 'failed') return undefined;
  return `artifacts changed since the build, so nothing was deployed to ${environment}: ${record.problems.join('; ')}`;
}
