// Contracts of the only layer that spawns processes or opens sockets. Factories elsewhere receive these,
// so tests pass the real implementations pointed at loopback servers and temp dirs.

export interface CommandSpec {
  /** Shell text as written by the user; placeholders already rewritten to variable references. */
  command: string;
  cwd: string;
  /** Added to the inherited environment (META_DEPLOY_* and friends). */
  env: Record<string, string>;
  /** Kill the whole process group after this long. */
  timeoutMs?: number;
  /** Prefix for streamed lines, e.g. "validate/unit". */
  label: string;
}

export interface CommandResult {
  /** null when killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  /** Last part of stdout+stderr (capped in memory), secrets masked. */
  output: string;
  /** Error starting the process (e.g. cwd missing), if any. */
  spawnError?: string;
}

export interface CommandOptions {
  /** Each complete output line, already masked. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Aborting kills the process group (used on SIGINT/SIGTERM of our own process). */
  signal?: AbortSignal;
  /** Called once the command's process group has started and is known to whoever recovers a killed run. */
  onStarted?: () => void;
}

export type ProcessRunner = (spec: CommandSpec, options?: CommandOptions) => Promise<CommandResult>;

export interface HttpResponse {
  status: number;
  body: string;
  latencyMs: number;
  /** Response headers, names in lower case (a repeated header's values joined with ", "). */
  headers?: Record<string, string>;
}
export interface HttpRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}
/** Never throws for network errors: returns `{ error }` with a readable reason. */
export type HttpClient = (request: HttpRequest) => Promise<HttpResponse | { error: string; latencyMs: number }>;

/** Resolves when a TCP connection to host:port opens; never throws. */
export type TcpConnector = (
  host: string,
  port: number,
  timeoutMs: number,
) => Promise<{ ok: true; latencyMs: number } | { ok: false; error: string; latencyMs: number }>;

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}
