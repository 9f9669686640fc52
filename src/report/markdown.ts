// GitHub-flavoured Markdown building blocks. Everything that came from outside (notes, details, command output)
// goes through one of these, so no value can break a table, close a fence early or inject HTML.
import { toPlainText } from './ansi.js';

const INLINE_SPECIALS = /[\\`*_[\]<>|~&]/g;

/** Text shown as-is in a paragraph or list item. */
export function escapeText(text: string): string {
  return toPlainText(text)
    .replace(INLINE_SPECIALS, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`))
    .replace(/\n+/g, ' ');
}

/** Text inside a table cell: as escapeText, line breaks kept as `<br>`. */
export function escapeCell(text: string): string {
  return toPlainText(text)
    .split('\n')
    .map((line) => escapeText(line))
    .join('<br>');
}

/** Text inside raw HTML (a `<summary>`). */
export function escapeHtml(text: string): string {
  return toPlainText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\n+/g, ' ');
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

/** A code span that survives any backticks in `text`. Use `inTable` inside a table cell (GFM splits on `|` first). */
export function inlineCode(text: string, options: { inTable?: boolean } = {}): string {
  const plain = toPlainText(text).replace(/\n+/g, ' ');
  const ticks = '`'.repeat(longestRun(plain, '`') + 1);
  const pad = plain.startsWith('`') || plain.endsWith('`') ? ' ' : '';
  const span = `${ticks}${pad}${plain}${pad}${ticks}`;
  return options.inTable ? span.replace(/\|/g, '\\|') : span;
}

/** A fenced block longer than any backtick run inside, so output can never close it. */
export function fence(text: string, language = ''): string {
  const plain = toPlainText(text).replace(/\n+$/, '');
  const ticks = '`'.repeat(Math.max(3, longestRun(plain, '`') + 1));
  return `${ticks}${language}\n${plain}\n${ticks}`;
}

/** A table; cells must already be escaped (escapeCell / inlineCode with inTable). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  // Separator as in the seed (`|-------|--------|`): one dash per header character plus the padding.
  const separator = `|${headers.map((h) => '-'.repeat(h.length + 2)).join('|')}|`;
  return [line(headers), separator, ...rows.map(line)].join('\n');
}

/** A folded block; `summary` is plain text, `body` is markdown. */
export function details(summary: string, body: string): string {
  return `<details>\n<summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

/** `[text](url)` for an http(s) URL (characters that would end the link encoded); the text alone for anything else. */
export function link(text: string, url: string): string {
  if (!/^https?:\/\//i.test(url)) return escapeText(text);
  const encoded = url.replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return `[${escapeText(text)}](${encoded})`;
}
