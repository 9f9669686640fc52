// Time, injected: stages and polls take a Clock so tests can control it where they must.
import type { Clock } from './types.js';

export const realClock: Clock = {
  /** Milliseconds since the epoch, so a reading also serves as a timestamp (`new Date(clock.now())`). */
  now: () => Date.now(),
  /** Resolves after `ms`, or as soon as `signal` aborts; never rejects. */
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener('abort', done, { once: true });
    }),
};
