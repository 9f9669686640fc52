// Typed access to a stage's data when only a generic StageRecord is at hand (observer callbacks, loops over
// STAGE_IDS): each renderer supplies one handler per stage, and the compiler checks that none is missing.
import type { StageDataMap, StageId, StageRecord } from '../engine/model.js';

export type StageDataHandlers<R> = { [S in StageId]: (data: StageDataMap[S], record: StageRecord<S>) => R };

/** The handler of `record.id` applied to its data; undefined when the stage recorded no data. */
export function visitStageData<R>(record: StageRecord, handlers: StageDataHandlers<R>): R | undefined {
  if (record.data === undefined) return undefined;
  // The model pairs `id` and `data` by construction; TypeScript cannot correlate the two through a union.
  const handler = handlers[record.id] as (data: StageDataMap[StageId], record: StageRecord) => R;
  return handler(record.data, record);
}
