// Stakeholder notifications: a Slack incoming webhook or a generic JSON webhook, each URL read from an env variable
// (the URL is a secret: it is masked and never printed).
import type { NotifyConfig } from '../config/types.js';
import type { HttpClient } from '../exec/types.js';
import type { NotificationRecord } from '../engine/model.js';

export interface NotificationMessage {
  text: string;
  payload: Record<string, unknown>;
}

const TIMEOUT_MS = 10_000;

export function channelName(config: NotifyConfig): string {
  return config.kind === 'slack' ? `slack (${config.webhookEnv})` : `webhook (${config.urlEnv})`;
}

export async function sendNotification(config: NotifyConfig, message: NotificationMessage, env: NodeJS.ProcessEnv, http: HttpClient): Promise<NotificationRecord> {
  const channel = channelName(config);
  const variable = config.kind === 'slack' ? config.webhookEnv : config.urlEnv;
  const url = env[variable];
  if (!url) return { channel, status: 'warning', detail: `${variable} is not set; not sent` };
  const body = JSON.stringify(config.kind === 'slack' ? { text: message.text } : message.payload);
  // One retry: a notification is worth a second try, never worth failing a healthy deployment.
  let last = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    const response = await http({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, timeoutMs: TIMEOUT_MS });
    if (!('error' in response) && response.status >= 200 && response.status < 300) {
      return { channel, status: 'passed', detail: `sent (HTTP ${response.status})` };
    }
    last = 'error' in response ? response.error : `HTTP ${response.status}`;
  }
  return { channel, status: 'warning', detail: `not delivered: ${last}` };
}
