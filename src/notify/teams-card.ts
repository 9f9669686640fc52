// The Microsoft Teams message for a Workflows ("When a Teams webhook request is received") webhook: a `message` whose
// one attachment is an Adaptive Card 1.4 — the title, the facts as a FactSet, on an ALERT the failed stage, reason and
// manual rollback command, and a button to the run. Workflows take Adaptive Cards only (the Office 365 connectors'
// MessageCard is retired). Long texts are cut so the whole message stays far below Teams' ~28 KB message limit.
import type { NotificationFacts } from './notification.js';
import { truncate } from './notification.js';

const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
const TEXT_MAX = 2000;

type CardElement =
  | { type: 'TextBlock'; text: string; wrap: true; size?: 'Large'; weight?: 'Bolder'; color?: 'Good' | 'Warning' | 'Attention'; fontType?: 'Monospace'; isSubtle?: true }
  | { type: 'FactSet'; facts: { title: string; value: string }[] };

export interface TeamsMessage {
  type: 'message';
  attachments: {
    contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
    contentUrl: null;
    content: {
      $schema: typeof ADAPTIVE_CARD_SCHEMA;
      type: 'AdaptiveCard';
      version: '1.4';
      body: CardElement[];
      actions?: { type: 'Action.OpenUrl'; title: string; url: string }[];
    };
  }[];
}

const COLORS = { good: 'Good', warning: 'Warning', attention: 'Attention' } as const;

export function teamsCard(facts: NotificationFacts): TeamsMessage {
  const body: CardElement[] = [
    { type: 'TextBlock', text: truncate(facts.title, TEXT_MAX), wrap: true, size: 'Large', weight: 'Bolder', color: COLORS[facts.tone] },
    { type: 'FactSet', facts: facts.fields.map(({ label, value }) => ({ title: label, value: truncate(value, TEXT_MAX) })) },
  ];
  const alert = facts.alert;
  if (alert) {
    if (alert.stage) body.push({ type: 'TextBlock', text: `Failed stage: ${alert.stage}`, wrap: true, weight: 'Bolder' });
    body.push({ type: 'TextBlock', text: truncate(`Reason: ${alert.reason ?? 'no reason recorded'}`, TEXT_MAX), wrap: true, color: 'Attention' });
    if (alert.manualRollback !== undefined) {
      body.push({ type: 'TextBlock', text: 'The automatic rollback failed. Roll back by hand:', wrap: true, weight: 'Bolder', color: 'Attention' });
      body.push({ type: 'TextBlock', text: truncate(alert.manualRollback, TEXT_MAX), wrap: true, fontType: 'Monospace' });
    }
  }
  body.push({ type: 'TextBlock', text: `Deployment ${truncate(facts.deploymentId, TEXT_MAX)}`, wrap: true, isSubtle: true });
  const actions = facts.runUrl ? { actions: [{ type: 'Action.OpenUrl' as const, title: 'View the run', url: facts.runUrl }] } : {};
  return {
    type: 'message',
    attachments: [
      {
        contentType: ADAPTIVE_CARD_CONTENT_TYPE,
        contentUrl: null,
        content: { $schema: ADAPTIVE_CARD_SCHEMA, type: 'AdaptiveCard', version: '1.4', body, ...actions },
      },
    ],
  };
}
