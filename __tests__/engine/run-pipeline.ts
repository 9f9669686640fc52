// Runs a config through the same path as the entry points: parseConfig → resolveInputs → planDeploy → runDeploy,
// with the real IO, a recording observer and in-flight tracker, and a masker of the given secrets.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { createDefaultIo } from '../../src/engine/default-io.js';
import type { ArtifactUploadPort } from '../../src/engine/artifact-upload-port.js';
import type { Deployment } from '../../src/engine/model.js';
import { runDeploy } from '../../src/engine/run-deploy.js';
import { createMasker } from '../../src/exec/mask.js';
import { resolveInputs } from '../../src/plan/inputs.js';
import { planDeploy } from '../../src/plan/plan-deploy.js';
import { recordingInFlight, recordingObserver, type RecordingInFlight, type RecordingObserver } from './recording-observer.js';

export interface PipelineRunOptions {
  version: string;
  environments?: string;
  env?: Record<string, string>;
  secrets?: string[];
  signal?: AbortSignal;
  observer?: RecordingObserver;
  inFlight?: RecordingInFlight;
  uploadArtifacts?: ArtifactUploadPort;
}

export interface PipelineRun {
  deployment: Deployment;
  observer: RecordingObserver;
  inFlight: RecordingInFlight;
  mask: (text: string) => string;
}

export async function runPipeline(workspace: string, yaml: string, options: PipelineRunOptions): Promise<PipelineRun> {
  const file = join(workspace, 'meta-deploy.yml');
  await writeFile(file, yaml);
  const loaded = parseConfig(yaml, file);
  if (!loaded.ok) throw new Error(`test config is invalid: ${JSON.stringify(loaded.problems)}`);
  const inputs = resolveInputs({ version: options.version, environments: options.environments ?? 'staging,production' }, loaded.config);
  if (!inputs.ok) throw new Error(`test inputs are invalid: ${inputs.error}`);
  const plan = await planDeploy(loaded.config, inputs.inputs, { workspace });
  const mask = createMasker(options.secrets ?? []);
  const observer = options.observer ?? recordingObserver();
  const inFlight = options.inFlight ?? recordingInFlight();
  const deployment = await runDeploy(plan, {
    io: createDefaultIo(mask),
    observer,
    inFlight,
    env: { ...process.env, ...options.env },
    signal: options.signal ?? new AbortController().signal,
    mask,
    cli: 'node /opt/meta-deploy/dist/cli/index.js',
    ...(options.uploadArtifacts ? { uploadArtifacts: options.uploadArtifacts } : {}),
  });
  return { deployment, observer, inFlight, mask };
}
