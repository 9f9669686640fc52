// Process groups: every command runs as the leader of its own group, so a signal to the group reaches everything it
// started. The runner reports the groups it starts and ends (so a run's journal can name the ones still running if
// the run is killed), and whoever recovers a killed run ends them before touching what they were changing.

/** Told each group a runner starts and, once nothing of it is left, ends. */
export interface GroupTracker {
  started(pgid: number): void;
  ended(pgid: number): void;
}

export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    // ESRCH: the group is gone.
    return false;
  }
}

export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

/** SIGKILLs every group still alive and waits (up to `timeoutMs`) until none is left; returns the ones still alive. */
export async function endGroups(pgids: readonly number[], timeoutMs = 5000): Promise<number[]> {
  for (const pgid of pgids) signalGroup(pgid, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  let alive = pgids.filter(groupAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    alive = alive.filter(groupAlive);
  }
  return alive;
}
