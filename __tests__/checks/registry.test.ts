import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { httpCheck } from '../../src/checks/http.js';
import { checkFor, performCheck } from '../../src/checks/registry.js';
import { runCheck } from '../../src/checks/run.js';
import { tcpCheck } from '../../src/checks/tcp.js';
import { checkContext, runConfig } from './check-context.js';

describe('check registry', () => {
  it('maps each config kind to its check', () => {
    expect(checkFor('http')).toBe(httpCheck);
    expect(checkFor('tcp')).toBe(tcpCheck);
    expect(checkFor('run')).toBe(runCheck);
  });

  it('performs a check by the kind of its config', async () => {
    expect(await performCheck(runConfig('exit 4'), checkContext(os.tmpdir()))).toMatchObject({ ok: false, detail: 'exit 4' });
  });
});
