// Every command's output reaches the log: a runner that hands each (already masked) line to a sink as it arrives,
// whatever the command (test, build, deploy, snapshot, rollback, check), and says when the command is over.
import type { ProcessRunner } from './types.js';

export interface OutputSink {
  /** A line of command output, with the command's label. */
  output(label: string, line: string): void;
  /** The command labelled `label` ended: no more lines come from it. */
  commandFinished?(label: string): void;
}

export function streamedRunner(runner: ProcessRunner, sink: OutputSink): ProcessRunner {
  return async (spec, options = {}) => {
    try {
      return await runner(spec, {
        ...options,
        onLine: (line, stream) => {
          options.onLine?.(line, stream);
          sink.output(spec.label, line);
        },
      });
    } finally {
      sink.commandFinished?.(spec.label);
    }
  };
}
