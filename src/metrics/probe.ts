// Synthetic probes, the built-in metric source: request the probe URLs at a steady rate (round robin, a bounded
// number in flight) until stopped, and keep every answer. The baseline runs while staging deploys (production is
// untouched then); the after window runs through verify (probe-sources.ts turns the samples into figures).
import type { Clock, HttpClient } from '../exec/types.js';
import type { ProbeSample } from './types.js';

export interface ProbeOptions {
  /** Requests per second, all URLs together. */
  rate: number;
  /** Requests in flight at most; when all are busy the next request waits (the rate drops, nothing bursts). */
  concurrency: number;
  clock: Clock;
  /** Per-request limit (default 10s). */
  timeoutMs?: number;
}

export interface ProbeRun {
  /** Answers so far, in the order they came back (live: grows until stop). */
  readonly samples: readonly ProbeSample[];
  /** Ends the probing at once: resolves with the answers so far; requests still in flight are not waited for. */
  stop(): Promise<ProbeSample[]>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Starts probing at once. Never throws: a failed request is a sample with an error. */
export function startProbing(urls: string[], http: HttpClient, options: ProbeOptions): ProbeRun {
  const { clock } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const spacingMs = 1000 / options.rate;
  const samples: ProbeSample[] = [];
  const stopping = new AbortController();
  const stopped = new Promise<void>((resolve) => stopping.signal.addEventListener('abort', () => resolve(), { once: true }));
  const inFlight = new Set<Promise<void>>();

  const loop = async (): Promise<void> => {
    let due = clock.now();
    for (let next = 0; urls.length > 0 && !stopping.signal.aborted; next += 1) {
      const wait = due - clock.now();
      if (wait > 0) await clock.sleep(wait, stopping.signal);
      if (stopping.signal.aborted) break;
      if (inFlight.size >= options.concurrency) await Promise.race([...inFlight, stopped]);
      if (stopping.signal.aborted) break;
      const request = probe(urls[next % urls.length] as string, http, timeoutMs, clock).then((sample) => {
        // An answer after stop() belongs to no window: the samples returned are final.
        if (!stopping.signal.aborted) samples.push(sample);
        inFlight.delete(request);
      });
      inFlight.add(request);
      // A late request does not make the next one early: the schedule restarts from now.
      due = Math.max(due + spacingMs, clock.now());
    }
  };
  const running = loop();

  return {
    samples,
    async stop() {
      stopping.abort();
      await running;
      return samples;
    },
  };
}

async function probe(url: string, http: HttpClient, timeoutMs: number, clock: Clock): Promise<ProbeSample> {
  const at = clock.now();
  try {
    const response = await http({ url, method: 'GET', timeoutMs });
    if ('error' in response) return { url, ok: false, latencyMs: response.latencyMs, error: response.error, at };
    const ok = response.status >= 200 && response.status < 400;
    return {
      url,
      ok,
      status: response.status,
      latencyMs: response.latencyMs,
      ...(ok ? {} : { error: `HTTP ${response.status}` }),
      at,
    };
  } catch (error) {
    // The client contract says it never throws; a sample is still better than losing the whole window.
    const message = error instanceof Error ? error.message : String(error);
    return { url, ok: false, latencyMs: clock.now() - at, error: message, at };
  }
}
