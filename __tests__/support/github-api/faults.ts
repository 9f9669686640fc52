// Faults a test sets on the GitHub API stand-in at runtime: rules that answer matching requests (all, or the next
// `times` of them) with a 500, a 403/429 rate limit carrying GitHub's headers and messages, or 403 "Resource not
// accessible by integration" (a fork PR's read-only token), or 422 "Validation Failed", or delay them; and the API down altogether (`down`).
import { validationFailed, type Reply } from './routes/reply.js';

export type FaultAnswer =
  /** 500 Server Error (or `status`: 502, 503). */
  | 'server-error'
  /** 403 (or `status` 429) "You have exceeded a secondary rate limit…", `retry-after: 1`. */
  | 'secondary-rate-limit'
  /** 403 (or `status` 429) "API rate limit exceeded for…", `x-ratelimit-remaining: 0`, reset in a second. */
  | 'primary-rate-limit'
  /** 403 "Resource not accessible by integration". */
  | 'not-accessible'
  /** 422 "Validation Failed": GitHub refusing a request the description accepts. */
  | 'validation-failed';

export interface FaultedRequest {
  method: string;
  path: string;
  /** `POST /repos/{owner}/{repo}/deployments`, when the route is known. */
  route?: string;
}

export interface FaultRule {
  /** Which requests (default: all). */
  when?: (request: FaultedRequest) => boolean;
  /** How many matching requests it applies to (default: all, until cleared). */
  times?: number;
  answer?: FaultAnswer;
  status?: number;
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface ActiveFault extends FaultRule {
  /** Requests it applied to so far. */
  hits: number;
}

/** `refuse`: the listener is closed (connections refused); `reset`: connections are accepted and reset at once. */
export type DownMode = 'refuse' | 'reset';

export interface Outage {
  down(mode: DownMode): Promise<void>;
  up(): Promise<void>;
}

export class Faults {
  readonly rules: ActiveFault[] = [];

  constructor(private readonly outage: Outage) {}

  add(rule: FaultRule): ActiveFault {
    const active = { ...rule, hits: 0 };
    this.rules.push(active);
    return active;
  }

  /** Removes every rule and brings the API back up. */
  async clear(): Promise<void> {
    this.rules.length = 0;
    await this.outage.up();
  }

  down(mode: DownMode = 'refuse'): Promise<void> {
    return this.outage.down(mode);
  }

  up(): Promise<void> {
    return this.outage.up();
  }

  /** The rules this request meets: their total delay and the first answer among them (later answering rules are not counted). */
  take(request: FaultedRequest): { delayMs: number; reply?: Reply } {
    let delayMs = 0;
    let reply: Reply | undefined;
    for (const rule of this.rules) {
      if ((rule.times !== undefined && rule.hits >= rule.times) || (rule.when && !rule.when(request))) continue;
      if (rule.answer && reply) continue; // an earlier rule answers: this one keeps its turn
      rule.hits++;
      delayMs += rule.delayMs ?? 0;
      if (rule.answer && !reply) reply = faultReply(rule.answer, rule.status);
    }
    return { delayMs, reply };
  }
}

const DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';

function faultReply(answer: FaultAnswer, status?: number): Reply {
  switch (answer) {
    case 'server-error':
      return { status: status ?? 500, body: { message: 'Server Error' } };
    case 'secondary-rate-limit':
      return {
        status: status ?? 403,
        headers: { 'retry-after': '1' },
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000:0000:00000000.', documentation_url: DOCS, status: String(status ?? 403) },
      };
    case 'primary-rate-limit':
      return {
        status: status ?? 403,
        headers: { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-resource': 'core', 'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1) },
        body: { message: 'API rate limit exceeded for installation ID 1000. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000:0000:00000000 and timestamp.', documentation_url: DOCS, status: String(status ?? 403) },
      };
    case 'not-accessible':
      return { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' } };
    case 'validation-failed':
      return validationFailed('Validation Failed');
  }
}
