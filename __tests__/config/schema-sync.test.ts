// The shipped schema and the loader must agree: every key the schema accepts changes the resolved config, every
// key it does not know is rejected, and every `default` it documents is what the loader assumes.
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import schemaFile from '../../schema/meta-deploy.schema.json' with { type: 'json' };
import { parseConfig } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { parseDuration, parseSize } from '../../src/config/units.js';
import { FULL_CONFIGS } from './full-configs.js';

type Json = Record<string, unknown>;
type Segment = string | number;

const definitions = configSchema['definitions'] as Record<string, Json>;

/** Follows `#/definitions/x` references; returns the schema and the pointer that names it. */
function deref(schema: Json, pointer: string): { schema: Json; pointer: string } {
  const ref = schema['$ref'];
  if (typeof ref !== 'string') return { schema, pointer };
  const name = ref.replace('#/definitions/', '');
  const target = definitions[name];
  if (target === undefined) throw new Error(`dangling $ref ${ref}`);
  return { schema: target, pointer: ref };
}

function isObjectSchema(schema: Json): boolean {
  const type = schema['type'];
  return type === 'object' || (Array.isArray(type) && type.includes('object'));
}

/** Every (object schema, property) pair the schema accepts. */
function schemaProperties(): Set<string> {
  const pairs = new Set<string>();
  const seen = new Set<string>();
  const walk = (raw: Json, rawPointer: string): void => {
    const { schema, pointer } = deref(raw, rawPointer);
    if (seen.has(pointer)) return;
    seen.add(pointer);
    const properties = (schema['properties'] ?? {}) as Record<string, Json>;
    for (const [key, property] of Object.entries(properties)) {
      pairs.add(`${pointer} ${key}`);
      walk(property, `${pointer}/properties/${key}`);
    }
    const additional = schema['additionalProperties'];
    if (typeof additional === 'object' && additional !== null) walk(additional as Json, `${pointer}/additionalProperties`);
    const items = schema['items'];
    if (typeof items === 'object' && items !== null) walk(items as Json, `${pointer}/items`);
  };
  walk(configSchema as Json, '#');
  return pairs;
}

interface Leaf {
  path: Segment[];
  value: unknown;
  schema: Json;
}
interface ObjectNode {
  path: Segment[];
  schema: Json;
}

/** Walks a config alongside the schema, recording the (schema, property) pairs it sets, its leaves and mappings. */
function walkConfig(config: unknown): { pairs: Set<string>; leaves: Leaf[]; objects: ObjectNode[] } {
  const pairs = new Set<string>();
  const leaves: Leaf[] = [];
  const objects: ObjectNode[] = [];
  const walk = (raw: Json, rawPointer: string, value: unknown, path: Segment[]): void => {
    const { schema, pointer } = deref(raw, rawPointer);
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(schema['items'] as Json, `${pointer}/items`, item, [...path, index]));
      return;
    }
    if (typeof value === 'object' && value !== null && isObjectSchema(schema)) {
      objects.push({ path, schema });
      const properties = (schema['properties'] ?? {}) as Record<string, Json>;
      for (const [key, child] of Object.entries(value)) {
        const property = properties[key];
        if (property !== undefined) {
          pairs.add(`${pointer} ${key}`);
          walk(property, `${pointer}/properties/${key}`, child, [...path, key]);
        } else {
          walk(schema['additionalProperties'] as Json, `${pointer}/additionalProperties`, child, [...path, key]);
        }
      }
      return;
    }
    leaves.push({ path, value, schema });
  };
  walk(configSchema as Json, '#', config, []);
  return { pairs, leaves, objects };
}

function setAt(config: unknown, path: Segment[], value: unknown): unknown {
  const copy = structuredClone(config) as Json;
  let node: Json = copy;
  for (const segment of path.slice(0, -1)) node = node[segment] as Json;
  const last = path.at(-1);
  if (last === undefined) throw new Error('empty path');
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

function getAt(config: unknown, path: Segment[]): unknown {
  let node = config as Json;
  for (const segment of path) node = node[segment] as Json;
  return node;
}

function parse(config: unknown) {
  return parseConfig(stringify(config, { aliasDuplicateObjects: false }), 'meta-deploy.yml');
}

/** Another valid value for a leaf. */
function alternative(leaf: Leaf): unknown {
  const { schema, value } = leaf;
  if (schema === definitions['duration']) return value === '777s' ? '778s' : '777s';
  if (schema === definitions['size']) return value === '777KiB' ? '778KiB' : '777KiB';
  const resolved = schema;
  const choices = resolved['enum'];
  if (Array.isArray(choices)) return choices.find((choice) => choice !== value);
  switch (typeof value) {
    case 'boolean':
      return !value;
    case 'number': {
      const maximum = resolved['maximum'] ?? resolved['exclusiveMaximum'];
      const minimum = resolved['minimum'] ?? resolved['exclusiveMinimum'] ?? 0;
      if (typeof maximum === 'number' && maximum <= 1 && typeof minimum === 'number') return (value + minimum) / 2;
      if (resolved['type'] === 'integer') return typeof maximum === 'number' && value + 1 > maximum ? value - 1 : value + 1;
      return value + 0.25;
    }
    case 'string':
      // URLs and addresses must keep their shape: change the host, or the path after ${url}.
      if (value.includes('://')) return value.replace('://', '://x');
      if (value.startsWith('${url}')) return `${value}x`;
      // A rule id in secrets-allow must stay one the scan knows.
      if (value.startsWith('@secretlint/')) return value === '@secretlint/secretlint-rule-aws' ? '@secretlint/secretlint-rule-npm' : '@secretlint/secretlint-rule-aws';
      // A prefix keeps commands, globs, env names and "name range" requirements valid.
      return `X${value}`;
    default:
      throw new Error(`no alternative for ${JSON.stringify(value)} at ${leaf.path.join('.')}`);
  }
}

describe('schema and loader stay in sync', () => {
  const walks = FULL_CONFIGS.map(walkConfig);
  const baselines = FULL_CONFIGS.map(parse);

  test('the full configs are valid', () => {
    for (const config of FULL_CONFIGS) expect(parse(config)).toMatchObject({ ok: true });
  });

  test('the full configs set every key the schema accepts (add a key to the schema, add it to full-configs.ts)', () => {
    const covered = new Set(walks.flatMap(({ pairs }) => [...pairs]));
    const missing = [...schemaProperties()].filter((pair) => !covered.has(pair));
    expect(missing).toEqual([]);
  });

  // `version` accepts one value only; its check is covered below.
  const leaves = walks.flatMap(({ leaves: found }, index) =>
    found.filter((leaf) => leaf.path[0] !== 'version').map((leaf) => ({ index, leaf })),
  );

  test.each(leaves.map(({ index, leaf }) => [leaf.path.join('.'), index, leaf] as const))(
    'changing %s (config %i) changes the resolved config',
    (_name, index, leaf) => {
      const config = FULL_CONFIGS[index];
      const baseline = baselines[index];
      const changed = parse(setAt(config, leaf.path, alternative(leaf)));
      // Switching provider makes the other provider's keys wrong: a problem is proof enough that it was read.
      if (leaf.path.at(-1) !== 'provider') expect(changed).toMatchObject({ ok: true });
      expect(JSON.stringify(changed)).not.toBe(JSON.stringify(baseline));
    },
  );

  const mappings = walks[0]?.objects.filter(({ schema }) => schema['additionalProperties'] === false) ?? [];
  test.each(mappings.map(({ path }) => [path.join('.') || '(top level)', path] as const))(
    'rejects a key the schema does not know under %s',
    (_name, path) => {
      const config = FULL_CONFIGS[0];
      const withUnknown = setAt(config, [...path, 'zz-unknown'], 'x');
      const result = parse(withUnknown);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]?.message).toContain('unknown key "zz-unknown"');
    },
  );

  test('every mapping in the schema rejects unknown keys (additionalProperties: false) except the targets and headers maps', () => {
    const OPEN_MAPS = ['#/properties/targets', '#/definitions/prometheus/properties/headers'];
    const open: string[] = [];
    const visit = (node: unknown, pointer: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const schema = node as Json;
      if (isObjectSchema(schema) && schema['additionalProperties'] !== false && !OPEN_MAPS.includes(pointer)) open.push(pointer);
      for (const [key, child] of Object.entries(schema)) visit(child, `${pointer}/${key}`);
    };
    visit(configSchema, '#');
    expect(open).toEqual([]);
  });

  // Top-level keys the full configs set (under a target, leaving a key out means inheriting it, not the default).
  const defaulted = walks.flatMap(({ objects }, index) =>
    objects
      .filter(({ path }) => path[0] !== 'targets')
      .flatMap(({ path, schema }) =>
        Object.entries((schema['properties'] ?? {}) as Record<string, Json>)
          .filter(([key, property]) => {
            const written = getAt(FULL_CONFIGS[index], [...path, key]);
            // Leaving `provider` out of a local environment makes it a command one: a different config, not a default.
            return property['default'] !== undefined && written !== undefined && !(key === 'provider' && written !== property['default']);
          })
          .map(([key, property]) => ({ index, path: [...path, key], value: property['default'] })),
      ),
  );

  test('every documented default is exercised', () => {
    const keys = new Set(defaulted.map(({ path }) => path.at(-1)));
    expect([...keys].sort()).toEqual(
      ['approvals', 'changelog', 'command-timeout', 'confidence', 'error-rate', 'failure-threshold', 'interval', 'keep', 'lock-timeout', 'max', 'max-increase', 'max-ratio', 'min-samples', 'name', 'no-pull-request', 'on-inconclusive', 'on-no-data', 'probe-concurrency', 'probe-rate', 'provider', 'release', 'secrets-allow', 'secrets-scan', 'state-dir', 'status', 'success-threshold', 'tag', 'timeout', 'unscanned', 'verify-before-deploy', 'window']
        .filter((key) => key !== 'error-rate')
        .sort(),
    );
  });

  test.each(defaulted.map(({ index, path, value }) => [path.join('.'), index, path, value] as const))(
    'writing out the documented default of %s (config %i) is the same as leaving it out',
    (_name, index, path, value) => {
      const config = FULL_CONFIGS[index];
      const omitted = parse(setAt(config, path, undefined));
      const explicit = parse(setAt(config, path, value));
      expect(omitted).toMatchObject({ ok: true });
      expect(explicit).toEqual(omitted);
    },
  );

  test('the only accepted version is 1', () => {
    const result = parse({ ...FULL_CONFIGS[0], version: 2 });
    expect(result).toMatchObject({ ok: false, problems: [{ path: 'version' }] });
  });

  test('the shipped file is the schema the validator compiles', () => {
    expect(configSchema).toBe(schemaFile);
    expect(schemaFile['$schema']).toBe('http://json-schema.org/draft-07/schema#');
  });
});

describe('the schema grammar of durations and sizes is the parser grammar', () => {
  const durationPattern = new RegExp(((definitions['duration']?.['anyOf'] as Json[])[0]?.['pattern'] as string) ?? '', 'u');
  const sizePattern = new RegExp(((definitions['size']?.['anyOf'] as Json[])[0]?.['pattern'] as string) ?? '', 'u');
  const durations = ['500ms', '300s', '5m', '1h', '1h30m', '2m5s', '1s500ms', '1.5s', '90', '0', '', 'fast', '-5s', '5 m', '30m1h', '1h1h', 's', 'ms', '5d', '1e3', '5S', '.5s', '5.s'];
  const sizes = ['500MiB', '2GB', '1GiB', '10KB', '10kB', '10KiB', '512B', '512', '1.5 KiB', '1TB', 'huge', '-1MB', '', '5 PiB', 'MiB', '5mib', '5  MiB', '5Mib', '.5MiB'];

  test.each(durations)('schema and parseDuration agree on %j', (text) => {
    expect(durationPattern.test(text)).toBe(parseDuration(text) !== undefined);
  });

  test.each(sizes)('schema and parseSize agree on %j', (text) => {
    expect(sizePattern.test(text)).toBe(parseSize(text) !== undefined);
  });
});

test('the precompiled validator is a fresh compilation of the shipped schema', async () => {
  // @ts-expect-error — a build script without type declarations
  const { compileSchema, GENERATED } = await import('../../scripts/compile-schema.mjs');
  const { readFile } = await import('node:fs/promises');
  expect(await readFile(GENERATED, 'utf8')).toBe(compileSchema());
});
