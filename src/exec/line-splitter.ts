// Command output arrives in chunks of any size; the log wants lines. A "line" without a newline is cut at a fixed
// length so output like a progress bar cannot grow a buffer without bound, and the cut is placed where it splits no
// secret, so each piece masked on its own still hides every secret.
import { StringDecoder } from 'node:string_decoder';
import type { Masker } from './mask.js';

/** Where a line without a newline is cut. */
export const MAX_LINE_CHARS = 16 * 1024;

export interface LineSplitter {
  write(chunk: Buffer): void;
  /** Emits what is left (the last line had no newline). */
  flush(): void;
}

/** Lines reach `onLine` unmasked, without their `\n` (or `\r\n`); `mask` only chooses where long lines are cut. */
export function createLineSplitter(mask: Pick<Masker, 'safeCut'>, onLine: (line: string) => void): LineSplitter {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  const emit = (line: string): void => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  return {
    write(chunk) {
      const parts = (partial + decoder.write(chunk)).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) emit(line);
      while (partial.length > MAX_LINE_CHARS) {
        const cut = mask.safeCut(partial, MAX_LINE_CHARS);
        // Only a single secret longer than the cut itself can leave no safe place: wait for the line to end.
        if (cut === 0) break;
        emit(partial.slice(0, cut));
        partial = partial.slice(cut);
      }
    },
    flush() {
      partial += decoder.end();
      if (partial !== '') emit(partial);
      partial = '';
    },
  };
}
