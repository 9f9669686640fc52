// `http:` check: GET the URL; the status, an expected text in the body and the latency must all be right. The URL and
// the expected text take placeholders (`contains: "${version}"`).
import type { HttpCheckConfig } from '../config/types.js';
import { expandText } from '../exec/placeholders.js';
import type { Check } from './types.js';

/** How much of a body is quoted in `got` when the expected text is missing. */
const BODY_EXCERPT_CHARS = 120;

export const httpCheck: Check<HttpCheckConfig> = async (config, context) => {
  const url = expandText(config.url, context.placeholders);
  const contains = config.contains === undefined ? undefined : expandText(config.contains, context.placeholders);
  const response = await context.http({ url, method: 'GET', timeoutMs: config.timeoutMs });
  if ('error' in response) {
    return { ok: false, answered: false, detail: response.error, expected: `HTTP ${config.status}`, got: response.error, latencyMs: response.latencyMs };
  }
  const { status, body, latencyMs } = response;
  if (status !== config.status) {
    return {
      ok: false,
      answered: true,
      detail: `HTTP ${status} (expected ${config.status})`,
      expected: `HTTP ${config.status}`,
      got: `HTTP ${status}`,
      latencyMs,
    };
  }
  if (contains !== undefined && !body.includes(contains)) {
    return {
      ok: false,
      answered: true,
      detail: `body does not contain ${JSON.stringify(contains)}`,
      expected: `body contains ${JSON.stringify(contains)}`,
      got: `body ${JSON.stringify(excerpt(body))}`,
      latencyMs,
    };
  }
  if (config.maxLatencyMs !== undefined && latencyMs > config.maxLatencyMs) {
    return {
      ok: false,
      answered: true,
      detail: `latency ${latencyMs}ms > ${config.maxLatencyMs}ms`,
      expected: `latency ≤ ${config.maxLatencyMs}ms`,
      got: `latency ${latencyMs}ms`,
      latencyMs,
    };
  }
  return { ok: true, answered: true, detail: `HTTP ${status} in ${latencyMs}ms`, latencyMs };
};

function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > BODY_EXCERPT_CHARS ? `${flat.slice(0, BODY_EXCERPT_CHARS)}…` : flat;
}
