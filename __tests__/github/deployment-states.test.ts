// The final GitHub status of each environment of a run whose main step was killed, from the post step's recovery
// (the reasons are recover-killed-run.ts's own wording).
import { expect, test } from 'vitest';
import type { Recovery } from '../../src/engine/recover-killed-run.js';
import { killedRunStatus } from '../../src/github/deployment-states.js';

function recovery(fields: Partial<Recovery['record']>, rollback?: Recovery['rollback']): Recovery {
  return {
    description: 'recovered a run',
    stoppedAt: 'during the production health checks',
    record: { id: 'r1', target: 'web', version: '3.0.0', environments: ['staging', 'production'], result: 'failed', startedAt: '2026-12-01T00:00:00Z', deployedTo: [], ...fields },
    ...(rollback ? { rollback } : {}),
  };
}

test('production rolled back by the post step: failure with the reason; staging, which had passed, success', () => {
  const rolledBack = recovery(
    { result: 'rolled-back', reason: 'killed during the production health checks of 3.0.0 (pid 9); production rolled back to 2.0.0 by the post step', deployedTo: ['staging'] },
    { status: 'passed', detail: 'restored 2.0.0', durationMs: 10 },
  );
  expect(killedRunStatus('production', rolledBack)).toEqual({ state: 'failure', description: rolledBack.record.reason });
  expect(killedRunStatus('staging', rolledBack)).toEqual({ state: 'success', description: 'web 3.0.0 deployed to staging; the run was then stopped during the production health checks' });
});

test('a rollback that failed leaves production on the killed version: failure, saying so', () => {
  const failed = recovery(
    { result: 'failed', reason: 'killed during the production deploy of 3.0.0 (pid 9); production NOT restored by the post step: exit 1', deployedTo: ['staging', 'production'] },
    { status: 'failed', detail: 'exit 1', durationMs: 10 },
  );
  expect(killedRunStatus('production', failed)).toEqual({ state: 'failure', description: failed.record.reason });
});

test('killed after production passed verification: success, the version stays', () => {
  const verified = recovery({ result: 'success', reason: 'killed during finalize (pid 9), after production passed verification: 3.0.0 stays', deployedTo: ['staging', 'production'] });
  expect(killedRunStatus('production', verified)).toEqual({ state: 'success', description: verified.record.reason });
});

test('killed before an environment was finished, nothing of it left: error with the reason', () => {
  const early = recovery({ result: 'failed', reason: 'killed during staging (pid 9); production unchanged' });
  expect(killedRunStatus('staging', early)).toEqual({ state: 'error', description: early.record.reason });
  expect(killedRunStatus('production', early)).toEqual({ state: 'error', description: early.record.reason });
});

test('production the main step had rolled back before it was killed: failure, not error', () => {
  const closed = recovery({ result: 'rolled-back', reason: 'killed during finalize (pid 9), after production was rolled back' });
  expect(killedRunStatus('production', closed)).toEqual({ state: 'failure', description: closed.record.reason });
});
