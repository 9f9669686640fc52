// Stage 2: run the build, collect the artifacts into one directory, hash them, write SHA256SUMS beside it (the
// directory itself is deployed and holds only the artifacts) and verify the copies against it.
// Adds: BuildData (artifacts with size and sha256, hashing throughput, manifest, the files each environment requires,
// integrity checks) and the build gates.
// Failure: nothing has been deployed; the run stops with result `failed`.
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { linksAmongArtifacts } from '../artifacts/artifact-links.js';
import { describeHashing } from '../artifacts/describe-hashing.js';
import { collectArtifacts, manifestFileOf, matchArtifacts, writeManifest } from '../artifacts/collect-artifacts.js';
import { warmHashPool } from '../artifacts/hash-pool.js';
import { pruneArtifacts } from '../artifacts/prune-artifacts.js';
import { warmScanPool } from '../artifacts/scan-pool.js';
import { judgeScan } from '../artifacts/judge-scan.js';
import { scanSecrets } from '../artifacts/scan-secrets.js';
import { verifyBuiltArtifacts } from '../artifacts/verify-manifest.js';
import { CONFIG_DEFAULTS } from '../config/defaults.js';
import { formatSize } from '../config/units.js';
import { truncate } from '../notify/notification.js';
import type { ArtifactRecord, BuildData, GateRecord, RequiredFileRecord, StepRecord } from '../engine/model.js';
import type { StageContext, StageDefinition, StageOutcome } from '../engine/stage.js';
import { runUserCommand, startStep } from '../engine/steps.js';
import { commandSucceeded, describeExit } from '../exec/describe-exit.js';

/** Builds production still needs, for every target: the one it runs and the one its snapshot points to. */
async function buildsInUse(context: StageContext): Promise<string[]> {
  const records = await context.records.list();
  const inUse: string[] = [];
  for (const target of new Set(records.map((record) => record.target))) {
    const lastInProduction = records.findLast((record) => record.target === target && record.deployedTo.includes('production'));
    const versions = [lastInProduction?.version, lastInProduction?.previousVersion];
    inUse.push(...records.filter((record) => record.target === target && record.kind !== 'rollback' && versions.includes(record.version)).map((record) => record.id));
  }
  return inUse;
}

/** `environments.<env>.requires` of every environment this run deploys to, each looked up among the artifacts. */
function requiredFiles(context: StageContext, artifacts: ArtifactRecord[]): RequiredFileRecord[] {
  const paths = new Set(artifacts.map((artifact) => artifact.path));
  return context.deployment.environments.flatMap((environment) =>
    (context.config.environments[environment]?.requires ?? []).map((path) => ({ environment, path, present: paths.has(path.replace(/^\.\//, '')) })),
  );
}

export const buildStage: StageDefinition<'build'> = {
  id: 'build',
  title: 'BUILD & PACKAGE',
  label: 'Build',
  gates: ['build:success', 'artifacts:verified'],
  onFailure: ['ABORT deployment (nothing deployed)'],
  skipReason: () => undefined,
  blocks: ({ config }) => [
    { mode: 'sequential', steps: [{ name: 'Build production artifacts', detail: config.build.run ?? 'no build command' }], timeoutMs: config.build.timeoutMs },
    { mode: 'sequential', steps: [{ name: 'Verify build integrity', detail: config.build.artifacts.join(' ') || 'no artifacts configured' }] },
  ],

  async run(context): Promise<StageOutcome<'build'>> {
    const { build } = context.config;
    const data: BuildData = { command: build.run, artifacts: [], totalSize: 0, integrity: [] };
    const steps: StepRecord[] = [];
    const fail = (reason: string, gates: GateRecord[], notes: string): StageOutcome<'build'> => ({
      status: 'failed',
      notes,
      gates,
      steps,
      data,
      failure: { result: 'failed', reason: `build failed: ${reason}` },
    });

    // The hash and scan workers start while the build command runs (once it is running and recorded, so that their
    // start-up never delays that), and are usually up by the time there are artifacts.
    const warmPools = () => {
      if (build.artifacts.length === 0) return;
      warmHashPool();
      if (build.secretsScan) warmScanPool();
    };
    if (build.run) {
      const timer = startStep(context);
      const result = await runUserCommand(context, { label: 'build', command: build.run, timeoutMs: build.timeoutMs, onStarted: warmPools });
      data.exitCode = result.exitCode;
      const ok = commandSucceeded(result);
      steps.push(timer.finish('Build production artifacts', ok ? 'passed' : 'failed', ok ? 'exit 0' : describeExit(result, build.timeoutMs), ok ? undefined : result.output));
      if (!ok) {
        const detail = describeExit(result, build.timeoutMs);
        return fail(`build command ${detail}`, [{ name: 'build:success', passed: false, detail }], `build command ${detail}`);
      }
    } else warmPools();
    const buildGate: GateRecord = { name: 'build:success', passed: true, detail: build.run ? 'build command exit 0' : 'no build command configured' };

    const timer = startStep(context);
    const integrity = (name: string, ok: boolean, detail: string) => {
      data.integrity.push(timer.finish(name, ok ? 'passed' : 'failed', detail));
      return ok;
    };
    if (build.artifacts.length === 0) {
      // A file an environment requires cannot be among artifacts that are not collected.
      data.requires = requiredFiles(context, []);
      if (data.requires.length > 0) {
        const detail = `build.artifacts is empty, but ${data.requires.map((required) => `environments.${required.environment}.requires ${required.path}`).join(', ')}`;
        integrity('Environment files present', false, detail);
        return fail(detail, [buildGate, { name: 'artifacts:verified', passed: false, detail }], detail);
      }
      integrity('Artifacts collected', true, 'no artifacts configured');
      return { status: 'passed', notes: 'no artifacts configured', gates: [buildGate, { name: 'artifacts:verified', passed: true, detail: 'no artifacts configured' }], steps, data };
    }

    const excludedDirs = [context.stateDir, join(context.workspace, CONFIG_DEFAULTS.stateDir)];
    const matched = await matchArtifacts(context.workspace, build.artifacts, excludedDirs);
    const artifactsDir = join(context.stateDir, 'artifacts', context.deployment.id);
    const failGate = (detail: string) => fail(detail, [buildGate, { name: 'artifacts:verified', passed: false, detail }], detail);
    const links = await linksAmongArtifacts(context.workspace, build.artifacts, excludedDirs);
    if (links.length > 0) {
      const detail = `symbolic links among the artifacts, which deploy regular files only (copy the file in, or leave the link out with a "!" pattern): ${links.map((link) => `${link.path} → ${link.target}`).join(', ')}`;
      integrity('Artifacts collected', false, detail);
      return failGate(detail);
    }
    if (!integrity('Artifacts collected', matched.length > 0, matched.length ? `${matched.length} files` : `no file matches ${build.artifacts.join(', ')}`)) {
      return failGate(`no file matches ${build.artifacts.join(', ')}`);
    }
    const collected = await collectArtifacts(context.workspace, matched, artifactsDir);
    data.artifacts = collected.artifacts;
    data.hashing = collected.hashing;
    data.artifactsDir = artifactsDir;
    data.totalSize = data.artifacts.reduce((sum, artifact) => sum + artifact.size, 0);
    data.requires = requiredFiles(context, data.artifacts);
    const absent = data.requires.filter((required) => !required.present);
    if (data.requires.length > 0) {
      const detail = absent.length
        ? absent.map((required) => `environments.${required.environment}.requires ${required.path}: not among the artifacts`).join('; ')
        : `${data.requires.length} required file${data.requires.length === 1 ? '' : 's'} present`;
      if (!integrity('Environment files present', absent.length === 0, detail)) return failGate(detail);
    }
    if (build.maxSizeBytes !== undefined) {
      const within = data.totalSize <= build.maxSizeBytes;
      if (!integrity('Size within max-size', within, `${formatSize(data.totalSize)} of ${formatSize(build.maxSizeBytes)}`)) {
        return failGate(`artifacts total ${formatSize(data.totalSize)}, over build.max-size ${formatSize(build.maxSizeBytes)}`);
      }
    }
    ({ file: data.manifest, sha256: data.manifestSha256 } = await writeManifest(artifactsDir, data.artifacts));
    const { problems: mismatches } = await verifyBuiltArtifacts(artifactsDir, data.artifacts);
    if (!integrity('Checksums match', mismatches.length === 0, mismatches.length ? mismatches.join('; ') : `${data.artifacts.length} files match SHA256SUMS (${describeHashing(collected.hashing)})`)) {
      return failGate(`checksums do not match: ${mismatches.join('; ')}`);
    }
    if (build.secretsScan) {
      const knownSecrets = context.config.validate.prerequisites.env.map((name) => context.env[name] ?? '');
      data.scan = await scanSecrets(artifactsDir, data.artifacts, { knownSecrets, allow: build.secretsAllow });
      const verdict = judgeScan(data.scan, build.unscanned);
      data.integrity.push(timer.finish('No sensitive data in artifacts', verdict.status, verdict.detail));
      if (verdict.status === 'failed') {
        // The copies hold what the scan refused (or could not read): they leave the store, which a cached state dir
        // would otherwise carry from run to run. The report keeps the findings, masked.
        await rm(artifactsDir, { recursive: true, force: true });
        await rm(manifestFileOf(artifactsDir), { force: true });
        delete data.artifactsDir;
        delete data.manifest;
        return failGate(`secrets scan: ${verdict.detail}; the copies were removed from the artifacts store`);
      }
    }
    context.scratch.artifactsDir = artifactsDir;
    const pruned = await pruneArtifacts(dirname(artifactsDir), build.keep, [context.deployment.id, ...(await buildsInUse(context))]);
    // A check that warned (files left unscanned, findings allowed by build.secrets-allow) is said in the notes, which
    // every output shows, and makes the stage a warning.
    const warnings = data.integrity.filter((step) => step.status === 'warning');
    const notes = [
      `${data.artifacts.length} artifacts, ${formatSize(data.totalSize)}`,
      ...(pruned.removed.length ? [`pruned ${pruned.removed.length} old build${pruned.removed.length === 1 ? '' : 's'} from the artifacts store`] : []),
      ...pruned.problems,
      // Cut to a few lines' worth in the notes; the step keeps the whole list.
      ...warnings.map((step) => truncate(`${step.name}: ${step.detail}`, 400)),
    ].join('; ');
    return {
      status: warnings.length > 0 ? 'warning' : 'passed',
      notes,
      gates: [buildGate, { name: 'artifacts:verified', passed: true, detail: `${data.artifacts.length} artifacts verified against SHA256SUMS` }],
      steps,
      data,
    };
  },
};
