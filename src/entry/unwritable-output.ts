// Output that cannot be written is dropped, never fatal: a closed pipe (`| head -c 300`, a `| tee` that Ctrl-C
// killed), a terminal that went away with its SSH session. Without a listener, the stream's 'error' (EPIPE, EIO) is an
// uncaught exception that would end the run mid-deploy, with no rollback, no record and the lock left behind. Every
// entry point calls this first; every stream we write to is passed here.

/** Once a stream fails it stays failed: later writes are discarded the same way. */
export function dropUnwritableOutput(...streams: NodeJS.WritableStream[]): void {
  const targets: NodeJS.WritableStream[] = streams.length > 0 ? streams : [process.stdout, process.stderr];
  for (const stream of targets) {
    stream.on('error', ignore);
  }
}

function ignore(): void {
  // Nowhere left to report it: the stream that failed is the report.
}
