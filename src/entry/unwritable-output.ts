// Output that cannot be written is dropped, never fatal: a closed pipe (`| head -c 300`, a `| tee` that Ctrl-C
// killed), a terminal that went away with its SSH session. Without a listener, the stream's 'error' (EPIPE, EIO) is an
// uncaught exception that would end the run mid-deploy, with no rollback, no record and the lock left behind. Every
// entry point passes process.stdout and process.stderr here first, and every stream we write to is passed here too.

/** Once a stream has failed, later writes to it are discarded the same way. */
export function dropUnwritableOutput(...streams: NodeJS.WritableStream[]): void {
  for (const stream of streams) stream.on('error', ignore);
}

function ignore(): void {
  // Nowhere left to report it: the stream that failed is where the report would have gone.
}
