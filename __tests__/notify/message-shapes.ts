// Structural checks of each notification format, written from the receivers' documentation (not from our code):
// Slack Block Kit (docs.slack.dev reference: blocks, header, section, context, text objects) and a Teams Workflows
// webhook message (learn.microsoft.com: "Post a workflow when a webhook request is received"; adaptivecards.io schema).
// Each returns the problems found; [] is a message the receiver accepts.

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function textObjectProblems(value: unknown, where: string, max: number, types: readonly string[] = ['plain_text', 'mrkdwn']): string[] {
  if (!isObject(value)) return [`${where}: not a text object`];
  const problems: string[] = [];
  if (!types.includes(value['type'] as string)) problems.push(`${where}.type: ${String(value['type'])} (expected ${types.join(' or ')})`);
  const text = value['text'];
  if (typeof text !== 'string' || text.length === 0) problems.push(`${where}.text: missing or empty`);
  else if (text.length > max) problems.push(`${where}.text: ${text.length} characters (max ${max})`);
  const known = ['type', 'text', 'emoji', 'verbatim'];
  for (const key of Object.keys(value)) if (!known.includes(key)) problems.push(`${where}.${key}: not a text object field`);
  return problems;
}

/** An incoming-webhook payload with blocks: ≤ 50 blocks, each of a known type within its documented limits. */
export function slackProblems(payload: unknown): string[] {
  if (!isObject(payload)) return ['payload: not an object'];
  const problems: string[] = [];
  if (typeof payload['text'] !== 'string' || payload['text'] === '') problems.push('text: the top-level fallback text is missing');
  const blocks = payload['blocks'];
  if (!Array.isArray(blocks) || blocks.length === 0) return [...problems, 'blocks: missing or empty'];
  if (blocks.length > 50) problems.push(`blocks: ${blocks.length} (max 50)`);
  blocks.forEach((block: unknown, i) => {
    const where = `blocks[${i}]`;
    if (!isObject(block)) return problems.push(`${where}: not an object`);
    switch (block['type']) {
      case 'header':
        problems.push(...textObjectProblems(block['text'], `${where}.text`, 150, ['plain_text']));
        break;
      case 'section': {
        const { text, fields } = block;
        if (text === undefined && fields === undefined) problems.push(`${where}: a section needs text or fields`);
        if (text !== undefined) problems.push(...textObjectProblems(text, `${where}.text`, 3000));
        if (fields !== undefined) {
          if (!Array.isArray(fields) || fields.length === 0) problems.push(`${where}.fields: not a non-empty array`);
          else {
            if (fields.length > 10) problems.push(`${where}.fields: ${fields.length} items (max 10)`);
            fields.forEach((field: unknown, j) => problems.push(...textObjectProblems(field, `${where}.fields[${j}]`, 2000)));
          }
        }
        break;
      }
      case 'context': {
        const elements = block['elements'];
        if (!Array.isArray(elements) || elements.length === 0) problems.push(`${where}.elements: not a non-empty array`);
        else {
          if (elements.length > 10) problems.push(`${where}.elements: ${elements.length} items (max 10)`);
          elements.forEach((element: unknown, j) => problems.push(...textObjectProblems(element, `${where}.elements[${j}]`, 3000)));
        }
        break;
      }
      case 'divider':
        break;
      default:
        problems.push(`${where}.type: ${String(block['type'])} is not a block this checker knows`);
    }
    return undefined;
  });
  return problems;
}

const CARD_ELEMENTS: Record<string, (element: Json, where: string) => string[]> = {
  TextBlock: (element, where) => (typeof element['text'] === 'string' && element['text'] !== '' ? [] : [`${where}.text: required`]),
  FactSet: (element, where) => {
    const facts = element['facts'];
    if (!Array.isArray(facts) || facts.length === 0) return [`${where}.facts: required`];
    return facts.flatMap((fact: unknown, j) =>
      isObject(fact) && typeof fact['title'] === 'string' && typeof fact['value'] === 'string' ? [] : [`${where}.facts[${j}]: needs title and value strings`],
    );
  },
};

/** A Workflows webhook message: `type: message` with one Adaptive Card attachment of a version Teams renders. */
export function teamsProblems(payload: unknown): string[] {
  if (!isObject(payload)) return ['payload: not an object'];
  const problems: string[] = [];
  if (payload['type'] !== 'message') problems.push(`type: ${String(payload['type'])} (expected "message")`);
  const attachments = payload['attachments'];
  if (!Array.isArray(attachments) || attachments.length === 0) return [...problems, 'attachments: missing or empty'];
  attachments.forEach((attachment: unknown, i) => {
    const where = `attachments[${i}]`;
    if (!isObject(attachment)) return problems.push(`${where}: not an object`);
    if (attachment['contentType'] !== 'application/vnd.microsoft.card.adaptive') problems.push(`${where}.contentType: ${String(attachment['contentType'])}`);
    const card = attachment['content'];
    if (!isObject(card)) return problems.push(`${where}.content: not an object`);
    if (card['type'] !== 'AdaptiveCard') problems.push(`${where}.content.type: ${String(card['type'])} (expected "AdaptiveCard")`);
    if (!['1.0', '1.1', '1.2', '1.3', '1.4', '1.5'].includes(card['version'] as string)) problems.push(`${where}.content.version: ${String(card['version'])} (Teams renders up to 1.5)`);
    if (typeof card['$schema'] !== 'string' || !card['$schema'].startsWith('http://adaptivecards.io/schemas/')) problems.push(`${where}.content.$schema: ${String(card['$schema'])}`);
    const body = card['body'];
    if (!Array.isArray(body) || body.length === 0) return problems.push(`${where}.content.body: missing or empty`);
    body.forEach((element: unknown, j) => {
      const at = `${where}.content.body[${j}]`;
      if (!isObject(element)) return problems.push(`${at}: not an object`);
      const check = CARD_ELEMENTS[element['type'] as string];
      if (check === undefined) return problems.push(`${at}.type: ${String(element['type'])} is not an element this checker knows`);
      return problems.push(...check(element, at));
    });
    const actions = card['actions'];
    if (actions !== undefined) {
      if (!Array.isArray(actions)) return problems.push(`${where}.content.actions: not an array`);
      actions.forEach((action: unknown, j) => {
        const at = `${where}.content.actions[${j}]`;
        if (!isObject(action) || action['type'] !== 'Action.OpenUrl' || typeof action['url'] !== 'string') problems.push(`${at}: expected Action.OpenUrl with a url`);
      });
    }
    return undefined;
  });
  // Teams refuses messages over about 28 KB.
  const size = Buffer.byteLength(JSON.stringify(payload));
  if (size > 28 * 1024) problems.push(`payload: ${size} bytes (Teams takes about 28 KB at most)`);
  return problems;
}
