// Live view of a run for the terminal and the action log. The model is the truth; observers only display it.
import type { OutputSink } from '../exec/streamed-runner.js';
import type { Deployment, StageId, StageRecord } from './model.js';

export interface RunObserver extends OutputSink {
  stageStarted(stage: StageId, deployment: Deployment): void;
  /** A step inside a stage finished (or a check round completed), for progress lines. */
  progress(stage: StageId, message: string): void;
  stageFinished(record: StageRecord, deployment: Deployment): void;
  finished(deployment: Deployment): void;
}
