// GitHub's rate limits, handled as its REST docs say: after a 403 or 429 that is a rate limit, wait `retry-after`
// seconds if given; else, when `x-ratelimit-remaining` is 0, until `x-ratelimit-reset`; else at least a minute, then
// longer. A wait beyond the client's limit is not made: the error goes to the caller (and the client stops calling).
// Content-creating requests are kept under GitHub's secondary limit of 80 a minute, and sent one at a time.

interface RateLimitError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

const WRITES_PER_MINUTE = 80;
const MINUTE_MS = 60_000;
const MAX_RETRIES = 2;

/** How long GitHub asks us to wait before trying again, or undefined when the error is not a rate limit. */
export function rateLimitWaitMs(error: RateLimitError, retry: number, now = Date.now()): number | undefined {
  if (error.status !== 403 && error.status !== 429) return undefined;
  const headers = error.response?.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) return Math.max(0, retryAfter) * 1000;
  if (String(headers['x-ratelimit-remaining']) === '0' && headers['x-ratelimit-reset'] !== undefined) {
    return Math.max(0, Number(headers['x-ratelimit-reset']) * 1000 - now) + 1000;
  }
  // A 403 without any of this is a permission problem, not a limit.
  if (error.status === 429 || /rate limit/i.test(error.message ?? '')) return MINUTE_MS * 2 ** retry;
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Per client: the times of recent writes, and the write in flight (writes go one at a time). */
export interface RateLimitState {
  writes: number[];
  queue: Promise<unknown>;
}

export function newRateLimitState(): RateLimitState {
  return { writes: [], queue: Promise.resolve() };
}

async function paceWrite(state: RateLimitState): Promise<void> {
  const now = Date.now();
  state.writes = state.writes.filter((at) => now - at < MINUTE_MS);
  if (state.writes.length >= WRITES_PER_MINUTE) await sleep(state.writes[0]! + MINUTE_MS - now);
  state.writes.push(Date.now());
}

export async function waitForRateLimit<T>(send: () => Promise<T>, options: { method: string; maxWaitMs: number; state: RateLimitState }): Promise<T> {
  const once = async (): Promise<T> => {
    for (let retry = 0; ; retry++) {
      if (WRITE_METHODS.has(options.method.toUpperCase())) await paceWrite(options.state);
      try {
        return await send();
      } catch (error) {
        const waitMs = rateLimitWaitMs(error as RateLimitError, retry);
        if (waitMs === undefined || retry >= MAX_RETRIES) throw error;
        if (waitMs > options.maxWaitMs) {
          (error as Error).message = `rate limited; GitHub asks to wait ${Math.ceil(waitMs / 1000)} s, longer than meta-deploy waits (${Math.round(options.maxWaitMs / 1000)} s): ${(error as Error).message}`;
          throw error;
        }
        await sleep(waitMs);
      }
    }
  };
  if (!WRITE_METHODS.has(options.method.toUpperCase())) return once();
  // One write at a time, as GitHub asks of integrations.
  const run = options.state.queue.then(once, once);
  options.state.queue = run.catch(() => undefined);
  return run;
}
