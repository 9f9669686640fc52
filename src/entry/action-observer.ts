// The action log: the plain terminal lines, with each command's output folded into one `::group::` named after the
// command. Actions does not nest groups, so stage banners and the summary stay outside them; a group opens at the
// command's first output line and closes when the command ends. A progress line printed while a group is open shows
// inside it (it is about that step). Commands that run in parallel (validation) get a group each, one after the
// other: lines of a command whose turn has not come yet wait until it has.
import * as core from '@actions/core';
import type { RunObserver } from '../engine/observer.js';

export function groupedObserver(inner: RunObserver): RunObserver {
  /** The command whose group is open, if any. */
  let open: string | undefined;
  /** Commands that printed while another group was open: their lines, and whether they have ended. */
  const waiting = new Map<string, { lines: string[]; ended: boolean }>();

  const closeGroup = (): void => {
    if (open === undefined) return;
    core.endGroup();
    open = undefined;
  };
  const openGroup = (label: string): void => {
    core.startGroup(label);
    open = label;
  };
  /** Gives the next waiting command its group; those that already ended are printed whole and closed. */
  const nextWaiting = (): void => {
    for (const [label, queued] of waiting) {
      waiting.delete(label);
      openGroup(label);
      for (const line of queued.lines) inner.output(label, line);
      if (!queued.ended) return;
      closeGroup();
    }
  };
  /** Before anything that is not command output: every group is closed, waiting lines printed in theirs. */
  const outsideGroups = (): void => {
    for (const queued of waiting.values()) queued.ended = true;
    closeGroup();
    nextWaiting();
  };

  return {
    stageStarted(stage, deployment) {
      outsideGroups();
      inner.stageStarted(stage, deployment);
    },
    progress: (stage, message) => inner.progress(stage, message),
    output(label, line) {
      if (open === undefined) openGroup(label);
      if (open === label) inner.output(label, line);
      else {
        const queued = waiting.get(label) ?? { lines: [], ended: false };
        queued.lines.push(line);
        waiting.set(label, queued);
      }
    },
    commandFinished(label) {
      const queued = waiting.get(label);
      if (queued) queued.ended = true;
      if (open !== label) return;
      closeGroup();
      nextWaiting();
    },
    stageFinished(record, deployment) {
      outsideGroups();
      inner.stageFinished(record, deployment);
    },
    finished(deployment) {
      outsideGroups();
      inner.finished(deployment);
    },
  };
}
