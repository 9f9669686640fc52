// ANSI styling for the terminal, and the inverse: turning command output into plain printable text, so a tool's
// own colours, carriage returns or cursor codes can never break a box, a live region or a markdown fence.

export type Tone = 'ok' | 'bad' | 'warn' | 'dim' | 'bold' | 'info';

export type Paint = (tone: Tone | undefined, text: string) => string;

const CODES: Record<Tone, [number, number]> = {
  ok: [32, 39],
  bad: [31, 39],
  warn: [33, 39],
  info: [36, 39],
  dim: [2, 22],
  bold: [1, 22],
};

/** Colours only when asked: `createPaint(false)` returns text unchanged. */
export function createPaint(color: boolean): Paint {
  if (!color) return (_tone, text) => text;
  return (tone, text) => {
    if (!tone || text === '') return text;
    const [open, close] = CODES[tone];
    return `\u001b[${open}m${text}\u001b[${close}m`;
  };
}

// CSI/OSC sequences and lone ESCs; then any other C0 control except newline.
const ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/** Printable text: escape sequences removed, tabs expanded, a `\r`-redrawn line reduced to what was last drawn. */
export function toPlainText(text: string): string {
  return text
    .replace(ESCAPES, '')
    .split('\n')
    .map((line) => {
      const cr = line.lastIndexOf('\r', line.length - 2);
      const visible = cr >= 0 ? line.slice(cr + 1) : line;
      return visible.replace(/\t/g, '  ').replace(CONTROLS, '');
    })
    .join('\n');
}
