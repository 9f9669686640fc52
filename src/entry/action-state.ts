// Main → post state, through named getters and setters. Saved as transitions happen (GITHUB_STATE is appended at
// once), so a main step killed mid-deploy still leaves the post step what it needs to roll back, and the phase it
// was in (deploying → health-checking → verifying, or rolling-back) with the time it entered it.
import * as core from '@actions/core';
import { IN_FLIGHT_PHASES, type InFlight, type InFlightInfo, type StoppedInFlight } from '../engine/in-flight.js';

const IN_FLIGHT = 'in-flight';
const PHASE = 'phase';
const PHASE_STARTED_AT = 'phase-started-at';

function enterPhase(phase: string): void {
  core.saveState(PHASE, phase);
  core.saveState(PHASE_STARTED_AT, new Date().toISOString());
}

export const actionInFlight: InFlight = {
  opened(info) {
    core.saveState(IN_FLIGHT, JSON.stringify(info));
    enterPhase('deploying');
  },
  phase(phase) {
    enterPhase(phase);
  },
  closed(outcome) {
    enterPhase(outcome);
  },
};

/** The production deploy the main step left unfinished, if any. */
export function unfinishedDeploy(): StoppedInFlight | undefined {
  const phase = IN_FLIGHT_PHASES.find((name) => name === core.getState(PHASE));
  if (!phase) return undefined;
  try {
    const info = JSON.parse(core.getState(IN_FLIGHT)) as InFlightInfo;
    const phaseStartedAt = core.getState(PHASE_STARTED_AT);
    return { ...info, phase, ...(phaseStartedAt ? { phaseStartedAt } : {}) };
  } catch {
    return undefined;
  }
}
