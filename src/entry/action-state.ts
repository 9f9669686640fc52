// Main → post state, through named getters and setters. Saved as transitions happen (GITHUB_STATE is appended at
// once), so a main step killed mid-deploy still leaves the post step what it needs to roll back.
import * as core from '@actions/core';
import type { InFlight, InFlightInfo } from '../engine/in-flight.js';

const IN_FLIGHT = 'in-flight';
const PHASE = 'phase';

export const actionInFlight: InFlight = {
  opened(info) {
    core.saveState(IN_FLIGHT, JSON.stringify(info));
    core.saveState(PHASE, 'deploying');
  },
  closed(outcome) {
    core.saveState(PHASE, outcome);
  },
};

/** The production deploy the main step left unfinished, if any. */
export function unfinishedDeploy(): InFlightInfo | undefined {
  if (core.getState(PHASE) !== 'deploying') return undefined;
  try {
    return JSON.parse(core.getState(IN_FLIGHT)) as InFlightInfo;
  } catch {
    return undefined;
  }
}
