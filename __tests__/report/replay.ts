// Drives an observer through a recorded deployment the way the engine does: stageStarted, progress per step,
// the recorded command output, stageFinished, for each stage that ran; then finished.
import { STAGE_IDS } from '../../src/engine/model.js';
import type { Deployment, StageRecord } from '../../src/engine/model.js';
import type { RunObserver } from '../../src/engine/observer.js';
import { visitStageData } from '../../src/report/stage-data.js';

interface Output {
  label: string;
  output?: string;
}

function outputsOf(record: StageRecord): Output[] {
  return (
    visitStageData<Output[]>(record, {
      validate: (data) => [
        ...data.tests.map((t) => ({ label: `validate/${t.name}`, output: t.output })),
        ...data.review.categories.flatMap((c) => c.checks.map((check) => ({ label: `review/${check.name}`, output: check.output }))),
      ],
      build: () => record.steps.map((s) => ({ label: 'build', output: s.output })),
      staging: (data) => (data.checks?.checks ?? []).map((c) => ({ label: `staging/${c.name}`, output: c.output })),
      production: (data) => (data.checks?.checks ?? []).map((c) => ({ label: `production/${c.name}`, output: c.output })),
      verify: (data) => data.smoke.map((c) => ({ label: `verify/${c.name}`, output: c.output })),
      finalize: () => [],
    }) ?? []
  );
}

export function replayDeployment(observer: RunObserver, d: Deployment): void {
  for (const id of STAGE_IDS) {
    const record: StageRecord = d.stages[id];
    if (record.startedAt === undefined) continue;
    observer.stageStarted(id, d);
    for (const step of record.steps) observer.progress(id, `${step.name}: ${step.detail}`);
    for (const { label, output } of outputsOf(record)) {
      for (const line of output?.split('\n') ?? []) observer.output(label, line);
    }
    if (record.status !== 'not-run') observer.stageFinished(record, d);
  }
  observer.finished(d);
}
