// The generic JSON webhook's body: what happened (`finished` or `alert`), one line of text, the run's page, and the
// whole JSON report (the masked Deployment, as `--report` writes it), so a receiver needs nothing else.
import { toJsonReport } from '../report/json-report.js';
import type { JsonReport } from '../report/json-report.js';
import type { NotificationEvent, NotificationFacts } from './notification.js';

export interface WebhookPayload {
  event: NotificationEvent['kind'];
  text: string;
  runUrl?: string;
  report: JsonReport;
}

export function webhookPayload(event: NotificationEvent, facts: NotificationFacts): WebhookPayload {
  return { event: event.kind, text: facts.text, ...(facts.runUrl ? { runUrl: facts.runUrl } : {}), report: toJsonReport(event.deployment) };
}
