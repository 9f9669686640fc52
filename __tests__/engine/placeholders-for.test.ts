// The one rule for placeholders after a restore: the restored release's version, the replaced one as previous, the
// snapshot id, the url expanded with these, and no commit (the restored release's is not known).
import { expect, test } from 'vitest';
import type { EnvironmentConfig } from '../../src/config/types.js';
import { placeholdersFor, restoredPlaceholders } from '../../src/engine/placeholders-for.js';

const production = { name: 'production', url: 'https://${version}.shop.example', provider: 'command', keep: 5, commandTimeoutMs: 1000, at: 'environments.production' } as unknown as EnvironmentConfig;
const replaced = placeholdersFor({ target: 'web', version: '2.0.0', previousVersion: '1.0.0', sha: 'abc123', snapshot: 'snap-7' }, production);

test('after a restore, ${version} is the snapshot version, ${previous_version} the replaced release, ${url} follows', () => {
  expect(restoredPlaceholders(replaced, { id: 'snap-7', version: '1.0.0' }, production)).toEqual({
    target: 'web',
    version: '1.0.0',
    environment: 'production',
    url: 'https://1.0.0.shop.example',
    snapshot: 'snap-7',
    previous_version: '2.0.0',
    sha: '',
  });
});

test('a snapshot whose version is not known stands for itself', () => {
  expect(restoredPlaceholders(replaced, { id: 'snap-7' }, production)).toMatchObject({ version: 'snap-7', previous_version: '2.0.0', snapshot: 'snap-7' });
});
