// Box drawing for the terminal: a framed box, the seed's three-column @parallel box, and a table. Text is measured
// and cut before it is painted, so ANSI colours never skew a border; nothing here knows about deployments.
import type { Paint, Tone } from './ansi.js';

export interface BoxLine {
  text: string;
  tone?: Tone;
}

export const blank: BoxLine = { text: '' };

/** Display width, counted in code points (reports draw only single-width symbols). */
export function textWidth(text: string): number {
  return Array.from(text).length;
}

/** Cut to `width` with an ellipsis, then pad with spaces to exactly `width`. */
export function fitText(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length > width) return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
  return text + ' '.repeat(width - chars.length);
}

/** Word-wrap to `width`; words longer than a line are split. Always at least one line. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    let rest = word;
    while (textWidth(rest) > width) {
      if (current !== '') {
        lines.push(current);
        current = '';
      }
      const chars = Array.from(rest);
      lines.push(chars.slice(0, width).join(''));
      rest = chars.slice(width).join('');
    }
    if (current === '') current = rest;
    else if (textWidth(current) + 1 + textWidth(rest) <= width) current = `${current} ${rest}`;
    else {
      lines.push(current);
      current = rest;
    }
  }
  lines.push(current);
  return lines;
}

function rule(left: string, fill: string, joint: string, right: string, widths: readonly number[]): string {
  return `${left}${widths.map((w) => fill.repeat(w + 2)).join(joint)}${right}`;
}

function row(cells: readonly BoxLine[], widths: readonly number[], paint: Paint): string {
  return `│ ${cells.map((cell, i) => paint(cell.tone, fitText(cell.text, widths[i] ?? 0))).join(' │ ')} │`;
}

/** Wraps a line, keeping its indentation on the continuation lines. */
function wrapLine(line: BoxLine, width: number): BoxLine[] {
  if (textWidth(line.text) <= width) return [line];
  const indent = /^\s*/.exec(line.text)?.[0] ?? '';
  return wrapText(line.text, Math.max(1, width - indent.length)).map((text) => ({ text: indent + text, tone: line.tone }));
}

/**
 * A framed box as wide as its longest line, between `minWidth` and `maxWidth` columns (borders included); longer
 * lines wrap rather than lose their end (a rollback command must stay whole).
 */
export function drawBox(lines: readonly BoxLine[], options: { minWidth: number; maxWidth: number }, paint: Paint): string[] {
  const longest = Math.max(0, ...lines.map((l) => textWidth(l.text)));
  const inner = Math.max(options.minWidth - 4, Math.min(options.maxWidth - 4, longest));
  const wrapped = lines.flatMap((l) => wrapLine(l, inner));
  return [rule('┌', '─', '', '┐', [inner]), ...wrapped.map((l) => row([l], [inner], paint)), rule('└', '─', '', '┘', [inner])];
}

/** Columns side by side under headers, each column's lines top-aligned (the seed's @parallel box). */
export function drawColumns(headers: readonly string[], columns: readonly (readonly BoxLine[])[], totalWidth: number, paint: Paint): string[] {
  const inner = Math.floor((totalWidth - 1 - 3 * headers.length) / headers.length);
  const widths = headers.map(() => inner);
  const height = Math.max(0, ...columns.map((c) => c.length));
  const rows: string[] = [];
  for (let i = 0; i < height; i += 1) rows.push(row(columns.map((c) => c[i] ?? blank), widths, paint));
  return [
    rule('┌', '─', '┬', '┐', widths),
    row(headers.map((h) => ({ text: h, tone: 'bold' as const })), widths, paint),
    rule('├', '─', '┼', '┤', widths),
    ...rows,
    rule('└', '─', '┴', '┘', widths),
  ];
}

/** The narrowest the wrapped last column of a table may get. */
const MIN_LAST_COLUMN = 12;

/** A table too wide for `maxWidth` even with its last column wrapped: one box, each row on a line with its last cell
 *  wrapped and indented below it. */
function drawStackedTable(headers: readonly string[], rows: readonly (readonly BoxLine[])[], maxWidth: number, paint: Paint): string[] {
  const last = headers.length - 1;
  const stacked = (cells: readonly BoxLine[], tone?: Tone): BoxLine[] => [
    { text: cells.slice(0, last).map((cell) => cell.text).join('  '), tone: tone ?? cells.slice(0, last).find((cell) => cell.tone)?.tone },
    { text: `  ${cells[last]?.text ?? ''}`, tone: tone ?? cells[last]?.tone },
  ];
  const lines = [...stacked(headers.map((text) => ({ text })), 'bold'), ...rows.flatMap((cells) => stacked(cells))];
  return drawBox(lines, { minWidth: maxWidth, maxWidth }, paint);
}

/**
 * A table whose last column wraps so the whole table fits `maxWidth` (or, narrower still, a stacked table); with `framed: false` the same layout
 * without box characters (for logs).
 */
export function drawTable(
  headers: readonly string[],
  rows: readonly (readonly BoxLine[])[],
  options: { maxWidth?: number; framed: boolean },
  paint: Paint,
): string[] {
  const widths = headers.map((h, i) => Math.max(textWidth(h), ...rows.map((r) => textWidth(r[i]?.text ?? ''))));
  const last = widths.length - 1;
  if (options.maxWidth !== undefined) {
    const border = options.framed ? 3 * widths.length + 1 : 2 * last;
    const others = widths.slice(0, last).reduce((sum, w) => sum + w, 0);
    if (options.framed && options.maxWidth - border - others < MIN_LAST_COLUMN) return drawStackedTable(headers, rows, options.maxWidth, paint);
    widths[last] = Math.max(MIN_LAST_COLUMN, Math.min(widths[last] ?? 0, options.maxWidth - border - others));
  }
  const wrapLast = (cells: readonly BoxLine[]): BoxLine[][] => {
    const lastCell = cells[last] ?? blank;
    const wrapped = wrapText(lastCell.text, widths[last] ?? 0);
    return wrapped.map((text, i) => [...(i === 0 ? cells.slice(0, last) : cells.slice(0, last).map(() => blank)), { text, tone: lastCell.tone }]);
  };
  const header = headers.map((h) => ({ text: h, tone: 'bold' as const }));
  if (!options.framed) {
    const plainRow = (cells: readonly BoxLine[]) =>
      cells.map((c, i) => (i === last ? paint(c.tone, c.text) : paint(c.tone, fitText(c.text, widths[i] ?? 0)))).join('  ').trimEnd();
    // The last column is unbounded in logs; its rule stays as wide as its header.
    const rules = widths.map((w, i) => '-'.repeat(i === last ? textWidth(headers[i] ?? '') : w)).join('  ');
    return [plainRow(header), rules, ...rows.flatMap(wrapLast).map(plainRow)];
  }
  return [
    rule('┌', '─', '┬', '┐', widths),
    row(header, widths, paint),
    rule('├', '─', '┼', '┤', widths),
    ...rows.flatMap(wrapLast).map((cells) => row(cells, widths, paint)),
    rule('└', '─', '┴', '┘', widths),
  ];
}
