// The one GitHub client of a run: @actions/github's Octokit with @octokit/plugin-retry (5xx and network errors, two
// retries; never a 409 deployment conflict, nor the 403/429 rate limits, which are ours), rate limits handled as
// GitHub documents them, and a breaker: once the API is unreachable or its rate limit is spent, every later call is
// skipped at once, so an outage costs one retried request (at most 3 × 10 s + 5 s), not one per feature. Nothing
// here throws at a caller: `attempt` turns every error into a reason, and 403s into a notice naming the permission.
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { newRateLimitState, waitForRateLimit } from './rate-limit.js';

export type Octokit = ReturnType<typeof getOctokit>;

export type Attempt<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface GitHubApi {
  octokit: Octokit;
  /** Runs one feature's calls. A 403 is a notice naming `permission`; an outage opens the breaker (one notice). */
  attempt<T>(feature: string, permission: string, work: (octokit: Octokit) => Promise<T>): Promise<Attempt<T>>;
  /** One line each for what GitHub refused or could not do. */
  notices: string[];
  /** HTTP requests sent (every attempt, retries included). */
  calls(): number;
}

export interface ClientOptions {
  token: string;
  /** GITHUB_API_URL (https://api.github.com, or a GHES / loopback stand-in). */
  baseUrl: string;
  /** One attempt of one request may take this long (default 10 s). */
  requestTimeoutMs?: number;
  /** Waits for a rate limit longer than this are not made: the features are skipped (default 30 s). */
  maxRateLimitWaitMs?: number;
  /** Base of plugin-retry's backoff (1, 4 × this; default 1 s). */
  retryBaseMs?: number;
}

/** HTTP statuses never retried by plugin-retry: client errors, a deployment conflict (409), rate limits (ours). */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

interface RequestFailure {
  status?: number;
  message?: string;
}

/** An HTTP error (Octokit's RequestError: network errors and timeouts come as status 500 too), as opposed to a
 *  bug or an unexpected answer in our own code. */
function isRequestError(error: RequestFailure): error is RequestFailure & { status: number } {
  return typeof error.status === 'number';
}

/** HTTP status of an Octokit error, if it is one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as RequestFailure | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

function firstLine(error: RequestFailure): string {
  return (error.message ?? String(error)).split('\n')[0]!.slice(0, 200);
}

export function createGitHubApi(options: ClientOptions): GitHubApi {
  let calls = 0;
  let down: string | undefined;
  const notices: string[] = [];
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  // Each attempt gets its own timeout (a retry must not inherit an expired one), and is counted.
  const timedFetch: typeof fetch = (input, init) => {
    calls++;
    const signals = [AbortSignal.timeout(timeoutMs), ...(init?.signal ? [init.signal] : [])];
    return fetch(input, { ...init, signal: AbortSignal.any(signals) });
  };
  const octokit = getOctokit(
    options.token,
    {
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      request: { fetch: timedFetch },
      retry: { doNotRetry: DO_NOT_RETRY, retries: 2, retryAfterBaseValue: options.retryBaseMs ?? 1000 },
      // Octokit's own console warnings would print request URLs; our notices say what matters.
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    },
    retry,
  );
  const limits = newRateLimitState();
  const maxWaitMs = options.maxRateLimitWaitMs ?? 30_000;
  octokit.hook.wrap('request', (request, requestOptions) => waitForRateLimit(async () => request(requestOptions), { method: requestOptions.method, maxWaitMs, state: limits }));

  return {
    octokit,
    notices,
    calls: () => calls,
    async attempt(feature, permission, work) {
      if (down) return { ok: false, reason: down.startsWith('rate limited') ? down : `GitHub API unreachable (${down})` };
      try {
        return { ok: true, value: await work(octokit) };
      } catch (error) {
        const failure = error as RequestFailure;
        if (!isRequestError(failure)) {
          const reason = `unexpected answer: ${firstLine(failure)}`;
          notices.push(`GitHub ${feature}: failed: ${reason}`);
          return { ok: false, reason };
        }
        if (failure.status >= 500) {
          down = `HTTP ${failure.status}${failure.status === 500 ? `: ${firstLine(failure)}` : ''}`;
          notices.push(`GitHub API unreachable (${down}) during ${feature}: the GitHub features after it were skipped; the deployment itself is unaffected`);
          return { ok: false, reason: `GitHub API unreachable (${down})` };
        }
        if ((failure.status === 403 || failure.status === 429) && /rate limit/i.test(failure.message ?? '')) {
          down = `rate limited: ${firstLine(failure)}`;
          notices.push(`GitHub ${feature}: skipped, ${down}; the GitHub features after it were skipped too; the deployment itself is unaffected`);
          return { ok: false, reason: down };
        }
        if (failure.status === 403) {
          const reason = `HTTP 403 (${firstLine(failure)})`;
          notices.push(`GitHub ${feature}: skipped: the token may not do this, ${reason}; give the job "${permission}" under permissions: (pull requests from forks and Dependabot get a read-only token)`);
          return { ok: false, reason };
        }
        const reason = `HTTP ${failure.status} (${firstLine(failure)})`;
        notices.push(`GitHub ${feature}: failed: ${reason}`);
        return { ok: false, reason };
      }
    },
  };
}
