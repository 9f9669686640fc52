// The last part of a command's output, kept in memory whole lines at a time: a chatty build must not grow the
// process without bound, and the end of the output is where the error is.

export interface OutputTail {
  push(line: string): void;
  /** The kept lines, led by "… (N bytes earlier output omitted)" when some were dropped. */
  text(): string;
}

export function createOutputTail(maxBytes: number): OutputTail {
  const lines: string[] = [];
  let first = 0;
  let keptBytes = 0;
  let omittedBytes = 0;

  return {
    push(line) {
      let kept = line;
      let size = Buffer.byteLength(kept) + 1;
      if (size > maxBytes) {
        // One line longer than the whole budget: keep its end.
        kept = Buffer.from(kept).subarray(-Math.max(1, maxBytes - 1)).toString();
        omittedBytes += size - (Buffer.byteLength(kept) + 1);
        size = Buffer.byteLength(kept) + 1;
      }
      lines.push(kept);
      keptBytes += size;
      while (keptBytes > maxBytes && first < lines.length - 1) {
        const dropped = Buffer.byteLength(lines[first] as string) + 1;
        keptBytes -= dropped;
        omittedBytes += dropped;
        first++;
      }
      // Drop the dead prefix now and then, so the array does not keep every line ever seen.
      if (first > 1024 && first * 2 > lines.length) {
        lines.splice(0, first);
        first = 0;
      }
    },
    text() {
      const kept = lines.slice(first).join('\n');
      return omittedBytes > 0 ? `… (${omittedBytes} bytes earlier output omitted)\n${kept}` : kept;
    },
  };
}
