import { describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../src/config/types.js';
import { providerFor } from '../../src/providers/registry.js';

describe('providerFor', () => {
  it.each<ProviderKind>(['command', 'local'])('returns the %s provider for the %s kind', (kind) => {
    expect(providerFor(kind).kind).toBe(kind);
  });
});
