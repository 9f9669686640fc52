// The terminal gets the same masking as every other output: whatever a renderer writes passes through the masker.
// Renderers may write a line in several chunks, so text is masked whole lines at a time; the unfinished end of a
// line waits for the rest (or for the stream's end).
import { Writable } from 'node:stream';
import { dropUnwritableOutput } from './unwritable-output.js';

export function maskedStream(out: NodeJS.WritableStream, mask: (text: string) => string): NodeJS.WritableStream {
  let partial = '';
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, callback) {
      const text = partial + chunk.toString();
      const end = text.lastIndexOf('\n') + 1;
      partial = text.slice(end);
      // Pass through synchronously, so lines keep their order with anything else written to `out`.
      if (end > 0) out.write(mask(text.slice(0, end)));
      callback();
    },
    final(callback) {
      if (partial !== '') out.write(mask(partial));
      partial = '';
      callback();
    },
  });
  dropUnwritableOutput(out, stream);
  return stream;
}
