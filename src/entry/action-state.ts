// Main → post state: where the main step's run keeps its journal. Everything else the post step needs — how far the run
// got, production's in-flight window and its phase — is in the run journal (engine/run-journal.ts), written before each
// step starts, so a main step killed at any moment leaves the post step what it needs.
import * as core from '@actions/core';

const STATE_DIR = 'state-dir';

export function saveStateDir(stateDir: string): void {
  core.saveState(STATE_DIR, stateDir);
}

export function savedStateDir(): string | undefined {
  return core.getState(STATE_DIR) || undefined;
}
