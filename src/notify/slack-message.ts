// The Slack incoming-webhook message: Block Kit (a header, the facts as section fields, on an ALERT the failed stage,
// the reason and the manual rollback command, a context line with the run link) and the top-level `text` Slack shows
// in notifications. Every text is cut to Slack's documented limits, so a long reason can never get the message
// rejected: header plain_text ≤ 150, section text ≤ 3000, fields ≤ 10 of ≤ 2000 each, ≤ 50 blocks.
import type { NotificationFacts } from './notification.js';
import { truncate } from './notification.js';

const HEADER_MAX = 150;
const SECTION_TEXT_MAX = 3000;
const FIELD_MAX = 2000;
const FIELDS_MAX = 10;
const CONTEXT_TEXT_MAX = 3000;
/** Slack documents no limit on `text` with blocks; a notification line needs no more than this. */
const FALLBACK_MAX = 3000;

interface TextObject {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
}
export type SlackBlock =
  | { type: 'header'; text: TextObject & { type: 'plain_text' } }
  | { type: 'section'; text: TextObject }
  | { type: 'section'; fields: TextObject[] }
  | { type: 'context'; elements: TextObject[] };

export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** mrkdwn treats &, < and > as control characters; everything else shows as typed. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<url|label>`: a `|` or `>` in the URL would end the link early. */
function mrkdwnLink(url: string, label: string): string {
  return `<${url.replace(/[|<>]/g, encodeURIComponent)}|${escapeMrkdwn(label)}>`;
}

function mrkdwn(text: string, max: number): TextObject {
  return { type: 'mrkdwn', text: truncate(text, max) };
}

export function slackMessage(facts: NotificationFacts): SlackMessage {
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(facts.title, HEADER_MAX), emoji: true } },
    {
      type: 'section',
      fields: facts.fields.slice(0, FIELDS_MAX).map(({ label, value }) => mrkdwn(`*${label}*\n${escapeMrkdwn(value)}`, FIELD_MAX)),
    },
  ];
  const alert = facts.alert;
  if (alert) {
    const lines = [
      ...(alert.stage ? [`*Failed stage:* ${escapeMrkdwn(alert.stage)}`] : []),
      `*Reason:* ${escapeMrkdwn(alert.reason ?? 'no reason recorded')}`,
    ];
    blocks.push({ type: 'section', text: mrkdwn(lines.join('\n'), SECTION_TEXT_MAX) });
    if (alert.manualRollback !== undefined) {
      const command = escapeMrkdwn(alert.manualRollback).replace(/`/g, "'");
      blocks.push({ type: 'section', text: mrkdwn(`*The automatic rollback failed. Roll back by hand:*\n\`${truncate(command, SECTION_TEXT_MAX - 60)}\``, SECTION_TEXT_MAX) });
    }
  }
  const context = [facts.runUrl ? mrkdwnLink(facts.runUrl, 'View the run') : undefined, `Deployment ${escapeMrkdwn(facts.deploymentId)}`];
  blocks.push({ type: 'context', elements: [mrkdwn(context.filter(Boolean).join(' · '), CONTEXT_TEXT_MAX)] });
  return { text: truncate(facts.text, FALLBACK_MAX), blocks };
}
