// Observer and in-flight tracker that keep everything they are told, for assertions after (or during) a run.
import type { InFlight } from '../../src/engine/in-flight.js';
import type { StageId } from '../../src/engine/model.js';
import type { RunObserver } from '../../src/engine/observer.js';

export interface RecordingObserver extends RunObserver {
  /** Every argument of every call, in order: `[method, ...args]`. */
  calls: unknown[][];
  /** Every string found anywhere in those arguments (deeply). */
  strings(): string[];
}

function collectStrings(value: unknown, into: string[]): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) value.forEach((item) => collectStrings(item, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((item) => collectStrings(item, into));
  return into;
}

/** Arguments are deep-copied at call time: the engine keeps mutating the deployment it passes. */
export function recordingObserver(onStageStarted?: (stage: StageId) => void): RecordingObserver {
  const calls: unknown[][] = [];
  const keep = (...args: unknown[]) => calls.push(structuredClone(args));
  return {
    calls,
    strings: () => collectStrings(calls, []),
    stageStarted: (stage, deployment) => {
      keep('stageStarted', stage, deployment);
      onStageStarted?.(stage);
    },
    progress: (stage, message) => keep('progress', stage, message),
    output: (label, line) => keep('output', label, line),
    stageFinished: (record, deployment) => keep('stageFinished', record, deployment),
    finished: (deployment) => keep('finished', deployment),
  };
}

export interface RecordingInFlight extends InFlight {
  /** `opened` and `closed:<outcome>`, in order. */
  events: string[];
}

export function recordingInFlight(): RecordingInFlight {
  const events: string[] = [];
  return {
    events,
    opened: () => events.push('opened'),
    closed: (outcome) => events.push(`closed:${outcome}`),
  };
}
