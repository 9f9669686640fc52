// What the engine asks of the artifact upload, and nothing more: the engine never imports @actions/*. The entry point
// builds the real one (src/entry/upload-artifacts.ts): GitHub's artifact service in Actions, the state dir's local
// artifact store elsewhere. It never throws: a failed upload is a warning in its record, never a failed deployment.
import type { ArtifactUploadRecord, Deployment } from './model.js';

export interface ArtifactUploadRequest {
  /** The finished run, masked, its JSON report already written (`reportFile`). */
  deployment: Deployment;
  stateDir: string;
  /** `build.upload.name` with its placeholders filled in. */
  name: string;
  retentionDays?: number;
}

export type ArtifactUploadPort = (request: ArtifactUploadRequest) => Promise<ArtifactUploadRecord>;
