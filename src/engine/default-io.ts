// The real adapters, wired once: every process, socket and timer a run uses. Tests build the same thing.
import { realClock } from '../exec/clock.js';
import { createHttpClient } from '../exec/http-client.js';
import { createProcessRunner } from '../exec/run-command.js';
import { tcpConnect } from '../exec/tcp-connect.js';
import type { StageIo } from './stage.js';

export function createDefaultIo(mask: (text: string) => string): StageIo {
  return { runner: createProcessRunner({ mask }), http: createHttpClient(), tcp: tcpConnect, clock: realClock };
}
