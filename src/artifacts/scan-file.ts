// One artifact through the secret scan: its text windows (text-windows.ts) through secretlint and a search for the
// exact values of the run's declared credentials. Each finding is counted in the window that owns its start, with
// its line in the file and the secret masked. The same code runs in a scan worker and, without one, in the caller.
import type { WindowMatch, WindowScanner } from './secretlint-scanner.js';
import { forEachTextWindow, lineNumbers, positionIn, type TextPosition, type TextWindow, type WindowOptions, WINDOW_DEFAULTS } from './text-windows.js';

export const DECLARED_CREDENTIAL_RULE = 'meta-deploy/declared-credential';

export interface FileFinding {
  line: number;
  rule: string;
  masked: string;
}

export interface FileScan {
  findings: FileFinding[];
  /** Why the file was not scanned (binary content). */
  unscanned?: string;
}

/** First 4 characters and an ellipsis: enough to recognise, never the secret. */
function maskSecret(secret: string): string {
  return `${secret.slice(0, Math.min(4, Math.floor(secret.length / 4)))}…`;
}

function declaredValues(window: TextWindow, values: string[]): WindowMatch[] {
  const found: WindowMatch[] = [];
  for (const value of values) {
    for (let index = window.text.indexOf(value); index !== -1; index = window.text.indexOf(value, index + 1)) {
      found.push({ index, length: value.length, rule: DECLARED_CREDENTIAL_RULE });
    }
  }
  return found;
}

export async function scanFile(scanner: WindowScanner, file: string, values: string[], window: WindowOptions = WINDOW_DEFAULTS): Promise<FileScan> {
  const found: Array<{ at: TextPosition; rule: string; masked: string }> = [];
  const unscanned = await forEachTextWindow(
    file,
    async (part) => {
      const matches = [...(await scanner.scan(part)), ...declaredValues(part, values)];
      for (const match of matches.filter((one) => one.index >= part.ownedFrom && one.index < part.ownedTo)) {
        found.push({ at: positionIn(part, match.index), rule: match.rule, masked: maskSecret(part.text.slice(match.index, match.index + match.length)) });
      }
    },
    window,
  );
  if (unscanned) return { findings: [], unscanned };
  const lines = found.length > 0 ? await lineNumbers(file, found.map(({ at }) => at)) : [];
  return { findings: found.map(({ rule, masked }, index) => ({ line: lines[index]!, rule, masked })) };
}
