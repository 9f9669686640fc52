// The terminal gets the same masking as every other output: whatever a renderer writes passes through the masker.
import { Writable } from 'node:stream';

export function maskedStream(out: NodeJS.WritableStream & { isTTY?: boolean }, mask: (text: string) => string): NodeJS.WritableStream {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      // Pass through synchronously, so lines keep their order with anything else written to `out`.
      out.write(mask(chunk.toString()));
      callback();
    },
  });
}
