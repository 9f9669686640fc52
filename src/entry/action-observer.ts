// The action log: the plain terminal lines, with each stage folded into a log group.
import * as core from '@actions/core';
import type { RunObserver } from '../engine/observer.js';

export function groupedObserver(inner: RunObserver): RunObserver {
  return {
    stageStarted(stage, deployment) {
      core.startGroup(`Stage ${stage}`);
      inner.stageStarted(stage, deployment);
    },
    progress: (stage, message) => inner.progress(stage, message),
    output: (label, line) => inner.output(label, line),
    stageFinished(record, deployment) {
      core.endGroup();
      inner.stageFinished(record, deployment);
    },
    finished: (deployment) => inner.finished(deployment),
  };
}
