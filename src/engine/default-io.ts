// The real adapters, wired once: every process, socket and timer a run uses. Tests build the same thing.
import { realClock } from '../exec/clock.js';
import { createHttpClient } from '../exec/http-client.js';
import type { Masker } from '../exec/mask.js';
import type { GroupTracker } from '../exec/process-groups.js';
import { createProcessRunner } from '../exec/run-command.js';
import { streamedRunner, type OutputSink } from '../exec/streamed-runner.js';
import { tcpConnect } from '../exec/tcp-connect.js';
import type { StageIo } from './stage.js';

/** With `output`, every command's lines also go there (runs outside the engine: manual rollback, post step); with
 *  `groups`, every command's process group is reported as it starts and ends (a run's journal). */
export function createDefaultIo(mask: Masker, output?: OutputSink, groups?: GroupTracker): StageIo {
  const runner = createProcessRunner({ mask, groups });
  return { runner: output ? streamedRunner(runner, output) : runner, http: createHttpClient(), tcp: tcpConnect, clock: realClock };
}
