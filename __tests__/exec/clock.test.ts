import { describe, expect, it } from 'vitest';
import { realClock } from '../../src/exec/clock.js';

describe('realClock', () => {
  it('reads the wall clock in epoch milliseconds', () => {
    const before = Date.now();
    const now = realClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('sleeps at least the given time', async () => {
    const start = performance.now();
    await realClock.sleep(50);
    expect(performance.now() - start).toBeGreaterThanOrEqual(45);
  });

  it('wakes up without an error when the signal aborts', async () => {
    const controller = new AbortController();
    const sleeping = realClock.sleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });

  it('does not sleep at all when the signal is already aborted', async () => {
    await expect(realClock.sleep(60_000, AbortSignal.abort())).resolves.toBeUndefined();
  });
});
