// A minimal terminal for tests: applies what the TTY observer writes (text, newlines, carriage return, cursor up,
// erase to end of screen; colour codes ignored) and shows the resulting screen, as a person would see it.
import { Writable } from 'node:stream';

export class VirtualScreen {
  private rows: string[][] = [[]];
  private row = 0;
  private col = 0;
  /** Everything written, unprocessed. */
  raw = '';

  write(chunk: string): void {
    this.raw += chunk;
    let i = 0;
    while (i < chunk.length) {
      const c = chunk[i]!;
      if (c === '\u001b') {
        const match = /^\u001b\[(\d*)([A-Za-z])/.exec(chunk.slice(i));
        if (!match) throw new Error(`unsupported escape at ${JSON.stringify(chunk.slice(i, i + 8))}`);
        this.control(match[2]!, match[1] === '' ? 1 : Number(match[1]));
        i += match[0].length;
        continue;
      }
      if (c === '\n') {
        this.row += 1;
        this.col = 0;
        this.rows[this.row] ??= [];
      } else if (c === '\r') {
        this.col = 0;
      } else {
        const line = (this.rows[this.row] ??= []);
        while (line.length < this.col) line.push(' ');
        line[this.col] = c;
        this.col += 1;
      }
      i += 1;
    }
  }

  private control(command: string, n: number): void {
    switch (command) {
      case 'A':
        this.row = Math.max(0, this.row - n);
        return;
      case 'J':
        this.rows = this.rows.slice(0, this.row + 1);
        this.rows[this.row] = (this.rows[this.row] ?? []).slice(0, this.col);
        return;
      case 'm':
        return;
      default:
        throw new Error(`unsupported control ${command}`);
    }
  }

  /** The screen's text, trailing spaces trimmed. */
  text(): string {
    return this.rows.map((r) => r.join('').trimEnd()).join('\n');
  }

  /** A real stream feeding this screen (its write callback is synchronous, so the screen is current at once). */
  stream(): Writable {
    return new Writable({
      decodeStrings: false,
      write: (chunk: string | Buffer, _encoding, callback) => {
        this.write(String(chunk));
        callback();
      },
    });
  }
}
