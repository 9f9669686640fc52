// Reads a file as UTF-8 text in overlapping windows, so a pattern scanner sees every match whole while memory stays
// flat whatever the file size (a one-line 20 MiB bundle included: windows are cut by size, never by line). Each
// window "owns" the text between ownedFrom and ownedTo; the overlap on both sides is context only. A scanner that
// reports just the matches STARTING in the owned part reports each match exactly once, with its full left context,
// as long as no match is longer than the overlap. Binary files are recognised by content (NUL bytes or invalid
// UTF-8 in the first chunk), never by name.
//
// Windows are cut in the bytes, at character starts, and each is decoded once into one flat string: no string is
// built by concatenation (V8 copies such a string again when a regular expression first reads it). Line numbers are
// not counted as the windows go by: a window tells where a character is (positionIn), and lineNumbers reads the file
// again to turn those positions into lines, which only a file with findings needs.
import { isAscii } from 'node:buffer';
import { open } from 'node:fs/promises';

export interface TextWindow {
  text: string;
  ownedFrom: number;
  ownedTo: number;
  /** Byte offset in the file of text[0]. */
  start: number;
}

export interface WindowOptions {
  /** Bytes each window owns (and about the bytes read at a time). */
  chunk: number;
  /** Bytes of context on each side; at least the longest match (in UTF-8) a scanner looks for. */
  overlap: number;
}

/** 256 KiB owned per window: the overlap is scanned twice, so it costs 9 % here against 19 % at 128 KiB. V8 collects
 * a window's strings only once its young generation fills, so RSS grows by a few windows' worth before the first
 * collection (the scan workers run with an 8 MB young generation). 12 KiB of overlap on each side covers the longest
 * bounded pattern of the preset: a PEM private key block, at most 10,000 characters of body between its BEGIN and
 * END lines (about 10,100 characters in all). */
export const WINDOW_DEFAULTS: WindowOptions = { chunk: 256 * 1024, overlap: 12 * 1024 };

/** Where a character of a window is: the byte offset of the window's text in the file and the newlines before the
 *  character in that text. */
export interface TextPosition {
  start: number;
  newlines: number;
}

function countNewlines(text: string, to: number): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index !== -1 && index < to; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

export function positionIn(window: TextWindow, index: number): TextPosition {
  return { start: window.start, newlines: countNewlines(window.text, index) };
}

/** The 1-based line of each position in the file: one more read of the file, counting newline bytes (a newline is
 *  one byte in UTF-8 and is never part of another character, so bytes and decoded text agree on it). */
export async function lineNumbers(file: string, positions: TextPosition[]): Promise<number[]> {
  const order = positions.map((_, index) => index).sort((a, b) => positions[a]!.start - positions[b]!.start);
  const lines: number[] = new Array(positions.length);
  const buffer = Buffer.alloc(WINDOW_DEFAULTS.chunk);
  const handle = await open(file, 'r');
  try {
    let offset = 0;
    let newlines = 0;
    for (const index of order) {
      const { start, newlines: inWindow } = positions[index]!;
      // A file found shorter than when it was scanned ends the count at its end.
      for (let bytesRead = -1; offset < start && bytesRead !== 0; ) {
        ({ bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, start - offset), offset));
        const bytes = buffer.subarray(0, bytesRead);
        for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) newlines++;
        offset += bytesRead;
      }
      lines[index] = 1 + newlines + inWindow;
    }
  } finally {
    await handle.close();
  }
  return lines;
}

/** Why the first chunk says the file is not text, or undefined when it is. */
function binaryReason(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return 'binary content (NUL bytes)';
  try {
    // stream: true tolerates a character cut at the end of the chunk.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return undefined;
  } catch {
    return 'binary content (not UTF-8)';
  }
}

const isContinuation = (byte: number) => byte >= 0x80 && byte < 0xc0;

/** The start of the character at or before `at` (at most 3 bytes back: no UTF-8 character is longer). Decoding the
 *  bytes on both sides of such a cut apart gives the same text as decoding them together, invalid bytes included: a
 *  decoder still inside a character there gives U+FFFD for it either way. */
function characterStart(bytes: Buffer, at: number): number {
  for (let index = at; index > at - 4 && index >= 0; index--) if (!isContinuation(bytes[index]!)) return index;
  return at;
}

/**
 * Calls `visit` on each window of the file in order. Returns the reason when the file is binary (no window is
 * visited), or undefined once the whole file was visited. Bytes after the first chunk that are not UTF-8 are read
 * as U+FFFD, which cannot be part of a match.
 */
export async function forEachTextWindow(
  file: string,
  visit: (window: TextWindow) => Promise<void>,
  { chunk, overlap }: WindowOptions = WINDOW_DEFAULTS,
): Promise<string | undefined> {
  if (chunk < overlap || overlap < 4) throw new Error(`window chunk (${chunk}) must be at least the overlap (${overlap}), and that at least 4 bytes`);
  // A U+FEFF stays in the text wherever it is: a decoder that dropped it at the start of each decode would make the
  // parts decoded apart shorter than the same characters in the whole window.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  // One buffer, reused for every window: the left context, the owned bytes, the right context, and 4 bytes more: a
  // left context may start up to 3 bytes early (at a character), and a cut needs the byte after it. Memory stays flat without waiting for the garbage collector.
  const buffer = Buffer.alloc(chunk + 2 * overlap + 4);
  const handle = await open(file, 'r');
  try {
    let start = 0; // file offset of buffer[0], the start of the next window's text
    let filled = 0;
    let owned = 0; // where the next window's owned bytes start, in the buffer
    let end = false;
    for (;;) {
      while (!end && filled < buffer.length) {
        const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
        if (bytesRead === 0) end = true;
        if (start === 0 && filled === 0 && bytesRead > 0) {
          const reason = binaryReason(buffer.subarray(0, Math.min(bytesRead, chunk)));
          if (reason) return reason;
        }
        filled += bytesRead;
      }
      if (owned >= filled) return undefined;
      const cut = (at: number) => (end && at >= filled ? filled : characterStart(buffer, at));
      const ownedEnd = cut(owned + chunk);
      const textEnd = cut(ownedEnd + overlap);
      const bytes = buffer.subarray(0, textEnd);
      const text = decoder.decode(bytes);
      // Offsets in the text are offsets in the bytes when every byte is ASCII; otherwise the two contexts are decoded
      // apart (an overlap each, not the owned bytes again).
      const ascii = isAscii(bytes);
      const ownedFrom = ascii ? owned : decoder.decode(buffer.subarray(0, owned)).length;
      const ownedTo = ascii ? ownedEnd : text.length - decoder.decode(buffer.subarray(ownedEnd, textEnd)).length;
      await visit({ text, ownedFrom, ownedTo, start });
      // The next window's text starts one overlap before its owned bytes.
      const keep = characterStart(buffer, Math.max(0, ownedEnd - overlap));
      buffer.copyWithin(0, keep, filled);
      start += keep;
      filled -= keep;
      owned = ownedEnd - keep;
    }
  } finally {
    await handle.close();
  }
}
