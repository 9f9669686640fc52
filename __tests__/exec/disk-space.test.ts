import { statfs } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freeDiskBytes } from '../../src/exec/disk-space.js';

describe('freeDiskBytes', () => {
  it('returns the bytes available on the filesystem of a directory', async () => {
    const info = await statfs(os.tmpdir());
    const free = await freeDiskBytes(os.tmpdir());
    expect(free).toBeGreaterThan(0);
    expect(free).toBeLessThanOrEqual(info.blocks * info.bsize);
  });

  it('measures a directory that does not exist yet at its nearest existing parent', async () => {
    const free = await freeDiskBytes(path.join(os.tmpdir(), 'not-yet', 'created'));
    expect(free).toBeGreaterThan(0);
  });
});
