// Delivers a notification to each configured channel (Slack, Microsoft Teams, a generic JSON webhook), the URL read
// from the named environment variable: it is a secret, masked and never printed, not even in a failure's reason.
// A channel that fails is retried with backoff (honouring Retry-After on 429 and 503); one that stays down, or refuses
// the message, is a warning with its reason — never a failure of the deployment.
import type { NotifyConfig } from '../config/types.js';
import type { NotificationRecord } from '../engine/model.js';
import type { HttpClient, HttpResponse } from '../exec/types.js';
import { describeNotification } from './notification.js';
import type { NotificationEvent } from './notification.js';
import { slackMessage } from './slack-message.js';
import { teamsCard } from './teams-card.js';
import { webhookPayload } from './webhook-payload.js';

export interface RetryPolicy {
  attempts: number;
  /** Wait before the second attempt; each later wait doubles it. */
  firstDelayMs: number;
  /** A Retry-After longer than this is not waited for: the channel is given up with the reason. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, firstDelayMs: 1000, maxRetryAfterMs: 30_000 };

export interface NotifyDeps {
  env: NodeJS.ProcessEnv;
  http: HttpClient;
  sleep: (ms: number) => Promise<void>;
  retry?: RetryPolicy;
}

const TIMEOUT_MS = 10_000;

interface Channel<C extends NotifyConfig> {
  variable(config: C): string;
  body(event: NotificationEvent): unknown;
}

/** One entry per kind of channel: where its URL is, and what it is sent. */
const CHANNELS: { [K in NotifyConfig['kind']]: Channel<Extract<NotifyConfig, { kind: K }>> } = {
  slack: { variable: (config) => config.webhookEnv, body: (event) => slackMessage(describeNotification(event)) },
  teams: { variable: (config) => config.webhookEnv, body: (event) => teamsCard(describeNotification(event)) },
  webhook: { variable: (config) => config.urlEnv, body: (event) => webhookPayload(event, describeNotification(event)) },
};

function channelOf(config: NotifyConfig): Channel<NotifyConfig> {
  return CHANNELS[config.kind] as Channel<NotifyConfig>;
}

/** The environment variable that holds the channel's URL (a secret to mask). */
export function webhookVariable(config: NotifyConfig): string {
  return channelOf(config).variable(config);
}

export function channelName(config: NotifyConfig): string {
  return `${config.kind} (${webhookVariable(config)})`;
}

type Attempt = HttpResponse | { error: string; latencyMs: number };

function delivered(response: Attempt): response is HttpResponse {
  return !('error' in response) && response.status >= 200 && response.status < 300;
}

/** Network errors, timeouts, 408, 429 and 5xx may pass on a later try; another 4xx is the message refused. */
function retryable(response: Attempt): boolean {
  return 'error' in response || response.status === 408 || response.status === 429 || response.status >= 500;
}

/** The URL and its path (the secret part of a Slack or Teams webhook URL), as a receiver may echo them. */
function urlForms(url: string): string[] {
  try {
    const { pathname, search } = new URL(url);
    return [url, `${pathname}${search}`, pathname].filter((form) => form.length > 1);
  } catch {
    return [url];
  }
}

/** "HTTP 400: invalid_blocks" — the receiver's first words, with the URL (a secret) taken out should it echo it. */
function describeFailure(response: Attempt, url: string): string {
  const hide = (text: string): string => urlForms(url).reduce((out, form) => out.split(form).join('the webhook URL'), text);
  if ('error' in response) return hide(response.error);
  const said = hide(response.body).trim().split('\n')[0]!.slice(0, 120);
  return said === '' ? `HTTP ${response.status}` : `HTTP ${response.status}: ${said}`;
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
function retryAfterMs(response: Attempt): number | undefined {
  const value = 'error' in response ? undefined : response.headers?.['retry-after']?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

export async function sendNotification(config: NotifyConfig, event: NotificationEvent, deps: NotifyDeps): Promise<NotificationRecord> {
  const channel = channelName(config);
  const variable = webhookVariable(config);
  const url = deps.env[variable];
  if (!url) return { channel, status: 'warning', detail: `${variable} is not set; not sent` };
  const retry = deps.retry ?? DEFAULT_RETRY;
  const body = JSON.stringify(channelOf(config).body(event));
  let reason = '';
  for (let attempt = 1; attempt <= retry.attempts; attempt++) {
    const response = await deps.http({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, timeoutMs: TIMEOUT_MS });
    if (delivered(response)) {
      const after = attempt > 1 ? ` on attempt ${attempt}` : '';
      return { channel, status: 'passed', detail: `sent (HTTP ${response.status})${after}` };
    }
    reason = describeFailure(response, url);
    if (!retryable(response)) return { channel, status: 'warning', detail: `not delivered: ${reason} (not retried: the receiver refused the message)` };
    if (attempt === retry.attempts) break;
    const asked = retryAfterMs(response);
    if (asked !== undefined && asked > retry.maxRetryAfterMs) {
      return { channel, status: 'warning', detail: `not delivered: ${reason}; asked to retry after ${Math.ceil(asked / 1000)}s, longer than this run waits` };
    }
    await deps.sleep(asked ?? retry.firstDelayMs * 2 ** (attempt - 1));
  }
  return { channel, status: 'warning', detail: `not delivered after ${retry.attempts} attempts: ${reason}` };
}

/** Every configured channel at once; each outcome in config order. */
export function sendNotifications(configs: readonly NotifyConfig[], event: NotificationEvent, deps: NotifyDeps): Promise<NotificationRecord[]> {
  return Promise.all(configs.map((config) => sendNotification(config, event, deps)));
}
