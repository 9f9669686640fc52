// What the artifacts table adds to the list of files, shared by the job summary and the terminal build box: the
// max-size verdict, the empty-set error, each environment's required files, and the hashing throughput; and the check
// of the artifacts against SHA256SUMS before each environment's deploy.
import { hashingRate, workersOf } from '../artifacts/describe-hashing.js';
import { formatDuration } from '../config/units.js';
import type { BuildData, StepRecord, TamperCheckRecord } from '../engine/model.js';

const step = (data: BuildData, name: string): StepRecord | undefined => data.integrity.find((record) => record.name === name);

/** e.g. "3 KiB of 1 MiB" with the step's status, when build.max-size is set. */
export function maxSizeFact(data: BuildData): StepRecord | undefined {
  return step(data, 'Size within max-size');
}

/** "no file matches out/**" when the patterns matched nothing. */
export function emptySetError(data: BuildData): string | undefined {
  const collected = step(data, 'Artifacts collected');
  return collected?.status === 'failed' ? collected.detail : undefined;
}

/** e.g. "612 MB/s (2 workers, 1.7s)" */
export function hashingFact(data: BuildData): string | undefined {
  const { hashing } = data;
  if (!hashing) return undefined;
  return hashing.bytes < 1e6 ? `${hashingRate(hashing)} (${workersOf(hashing)})` : `${hashingRate(hashing)} (${workersOf(hashing)}, ${formatDuration(hashing.durationMs)})`;
}

/** Which environments require the artifact at `path`, e.g. "production". */
export function requiredBy(data: BuildData, path: string): string[] {
  return (data.requires ?? []).filter((required) => required.path.replace(/^\.\//, '') === path).map((required) => required.environment);
}

/** e.g. "full hash of 2 files against SHA256SUMS: unchanged (12ms)" or the files that changed. */
export function describeTamperCheck(tamper: TamperCheckRecord): string {
  const what = `${tamper.mode} of ${tamper.files} file${tamper.files === 1 ? '' : 's'} against SHA256SUMS`;
  return `${what}: ${tamper.status === 'passed' ? 'unchanged' : tamper.problems.join('; ')} (${formatDuration(tamper.durationMs)})`;
}
