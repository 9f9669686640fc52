// The README is part of the contract: its inputs/outputs tables equal action.yml, its config reference is the shipped
// example and validates, and it leads with the two commands.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { ROOT } from '../support/runner-files.js';

const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
const action = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { description: string; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: Record<string, string>;
};

function tableRows(marker: string): string[][] {
  const block = readme.split(`<!-- ${marker}:start -->`)[1]!.split(`<!-- ${marker}:end -->`)[0]!;
  return block
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim().replace(/^`|`$/g, '').replace(/\\\|/g, '|')));
}

describe('README', () => {
  test('inputs table equals action.yml (names, defaults, descriptions)', () => {
    const rows = tableRows('inputs').map(([name, defaultValue, meaning]) => ({ name, defaultValue, meaning }));
    expect(rows).toEqual(
      Object.entries(action.inputs).map(([name, input]) => ({ name, defaultValue: input.default ?? '', meaning: input.description })),
    );
  });

  test('outputs table equals action.yml', () => {
    const rows = tableRows('outputs').map(([name, meaning]) => ({ name, meaning }));
    expect(rows).toEqual(Object.entries(action.outputs).map(([name, output]) => ({ name, meaning: output.description })));
  });

  test('action.yml runs on node24 with a main and a post step that exist in dist/', async () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post/index.js' });
    await expect(readFile(join(ROOT, action.runs.main!))).resolves.toBeTruthy();
    await expect(readFile(join(ROOT, action.runs.post!))).resolves.toBeTruthy();
  });

  test('the config reference is the shipped example, and it is valid', async () => {
    const example = await readFile(join(ROOT, 'examples', 'meta-deploy.example.yml'), 'utf8');
    expect(readme).toContain(example);
    const result = parseConfig(example, 'meta-deploy.example.yml');
    expect(result.ok ? [] : result.problems).toEqual([]);
  });

  test('leads with the two commands', () => {
    const quickstart = readme.indexOf('npm ci && npm run demo');
    expect(quickstart).toBeGreaterThan(0);
    expect(quickstart).toBeLessThan(readme.indexOf('npm test'));
    expect(readme.indexOf('npm test')).toBeLessThan(1500);
  });
});
