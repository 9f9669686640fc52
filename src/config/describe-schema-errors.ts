// Turns Ajv's errors into one human problem per real mistake: unknown keys with a "did you mean", wrong types in
// plain words, and the branch-by-branch noise of anyOf/oneOf collapsed into a single line.
import type { ErrorObject } from 'ajv';
import { configSchema } from './schema.js';
import { describeValue, listQuoted } from './describe-value.js';
import { suggestKey } from './suggest-key.js';
import type { PathSegment } from './config-path.js';
import type { PathProblem } from './problems.js';

type SchemaObject = Record<string, unknown>;

const definitions = configSchema['definitions'] as Record<string, SchemaObject>;
const environmentSchemas = (definitions['environments']?.['properties'] ?? {}) as Record<string, SchemaObject>;
const commandsItemSchema = pick(definitions['validate'], 'properties', 'prerequisites', 'properties', 'commands', 'items');

/** Schemas are matched by content: the precompiled validator hands back its own copies of the shipped schema's parts. */
const schemaKey = (schema: unknown): string => JSON.stringify(schema);

/** Wording for values that fail a definition as a whole. */
const VALUE_MESSAGES = keyedBySchema<(got: string) => string>([
  [definitions['duration'], (got) => `expected a duration like "300s", "5m", "1h30m" or a number of seconds, got ${got}`],
  [definitions['size'], (got) => `expected a size like "500MiB", "2GB" or a number of bytes, got ${got}`],
  [definitions['envName'], (got) => `expected an environment variable name like "DEPLOY_TOKEN", got ${got}`],
  [commandsItemSchema, (got) => `expected a command name, optionally followed by a version range, like "kubectl >=1.28", got ${got}`],
]);

/** Keys that belong to the other environment, with the hint the user needs. */
const MISPLACED_KEYS = keyedBySchema<Record<string, string>>([
  [environmentSchemas['staging'], { health: 'staging runs "smoke" checks; "health" belongs to production' }],
  [
    environmentSchemas['production'],
    { smoke: 'production runs "health" checks; checks during the verify window go under verify.smoke' },
  ],
]);

function keyedBySchema<T>(entries: [unknown, T][]): Map<string, T> {
  return new Map(entries.map(([schema, value]) => [schemaKey(schema), value]));
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
};

interface Described extends PathProblem {
  /** Keys whose absence this problem reports, so an unknown key suggesting one of them can stand for both. */
  missing?: string[];
  instancePath: string;
}

export function describeSchemaErrors(errors: readonly ErrorObject[], value: unknown): PathProblem[] {
  const described = withoutBranchNoise(errors).flatMap((error) => describeError(error, value));
  const suggested = new Map<string, Set<string>>();
  for (const problem of described) {
    const suggestion = /did you mean "([^"]+)"/.exec(problem.message)?.[1];
    if (suggestion === undefined || problem.anchor !== 'key') continue;
    const keys = suggested.get(problem.instancePath) ?? new Set<string>();
    keys.add(suggestion);
    suggested.set(problem.instancePath, keys);
  }
  // `nmae: unit` is one mistake: report the misspelling, not also the missing `name`.
  const kept = described.filter((problem) => {
    const near = suggested.get(problem.instancePath);
    return !(problem.missing && near && problem.missing.some((key) => near.has(key)));
  });
  return kept.map(({ path, anchor, message }) => ({ path, anchor, message }));
}

/** Drops the per-branch errors of every failed anyOf/oneOf, and the inner pattern error of propertyNames. */
function withoutBranchNoise(errors: readonly ErrorObject[]): ErrorObject[] {
  const branchSchemas = new Set<unknown>();
  const compositePaths: string[] = [];
  for (const error of errors) {
    if (error.keyword !== 'anyOf' && error.keyword !== 'oneOf') continue;
    compositePaths.push(error.instancePath);
    collectObjects(error.schema, branchSchemas);
  }
  return errors.filter((error) => {
    if (error.schemaPath.includes('/propertyNames/')) return false;
    const inBranch =
      branchSchemas.has(error.parentSchema) &&
      compositePaths.some((path) => error.instancePath === path || error.instancePath.startsWith(`${path}/`));
    return !inBranch;
  });
}

function describeError(error: ErrorObject, root: unknown): Described[] {
  const path = toSegments(error.instancePath, root);
  const data = error.data;
  const got = describeValue(data);
  const parent = (error.parentSchema ?? {}) as SchemaObject;
  const params = error.params as Record<string, unknown>;
  const base = { instancePath: error.instancePath };

  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      return [{ ...base, path: [...path, key], anchor: 'key', message: unknownKeyMessage(key, parent) }];
    }
    case 'propertyNames': {
      const key = String(params['propertyName']);
      const message =
        path.length === 1 && path[0] === 'targets'
          ? `invalid target name ${describeValue(key)}: use letters, digits, ".", "_" and "-", starting with a letter or digit`
          : `invalid key ${describeValue(key)}`;
      return [{ ...base, path: [...path, key], anchor: 'key', message }];
    }
    case 'required': {
      const key = String(params['missingProperty']);
      const hint = path.length === 0 && key === 'version' ? ' (add "version: 1" at the top)' : '';
      return [{ ...base, path, anchor: 'value', message: `missing required key "${key}"${hint}`, missing: [key] }];
    }
    case 'oneOf':
    case 'anyOf': {
      const exclusive = exclusiveKeys(error.schema);
      if (exclusive) return [{ ...base, ...describeExclusive(exclusive, data, path) }];
      const wording = VALUE_MESSAGES.get(schemaKey(parent));
      return [{ ...base, path, anchor: 'value', message: wording ? wording(got) : `${got} is not valid here` }];
    }
    case 'type': {
      const wording = VALUE_MESSAGES.get(schemaKey(parent));
      if (wording) return [{ ...base, path, anchor: 'value', message: wording(got) }];
      const expected = typeList(params['type']);
      const wantsString = expected.includes('string') && (typeof data === 'number' || typeof data === 'boolean');
      const names = expected.filter((type) => type !== 'null').map((type) => TYPE_NAMES[type] ?? type);
      const hint = wantsString ? ` (put it in quotes: "${String(data)}")` : '';
      return [{ ...base, path, anchor: 'value', message: `expected ${names.join(' or ')}, got ${got}${hint}` }];
    }
    case 'const': {
      const allowed = params['allowedValue'];
      const message =
        path.length === 1 && path[0] === 'version'
          ? `unsupported config version ${got}; this meta-deploy reads "version: ${String(allowed)}"`
          : `expected ${JSON.stringify(allowed)}, got ${got}`;
      return [{ ...base, path, anchor: 'value', message }];
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map(String);
      const suggestion = typeof data === 'string' ? suggestKey(data, allowed) : undefined;
      const hint = suggestion ? ` (did you mean "${suggestion}"?)` : '';
      return [{ ...base, path, anchor: 'value', message: `expected ${listQuoted(allowed, 'or')}, got ${got}${hint}` }];
    }
    case 'pattern': {
      const wording = VALUE_MESSAGES.get(schemaKey(parent));
      return [{ ...base, path, anchor: 'value', message: wording ? wording(got) : `${got} does not have the expected form` }];
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const bound = { minimum: 'at least', maximum: 'at most', exclusiveMinimum: 'greater than', exclusiveMaximum: 'less than' }[
        error.keyword
      ];
      return [{ ...base, path, anchor: 'value', message: `must be ${bound} ${String(params['limit'])}, got ${got}` }];
    }
    case 'minLength':
      return [{ ...base, path, anchor: 'value', message: 'must not be empty' }];
    default:
      return [{ ...base, path, anchor: 'value', message: `${error.message ?? 'is not valid'} (got ${got})` }];
  }
}

function unknownKeyMessage(key: string, parent: SchemaObject): string {
  const misplaced = MISPLACED_KEYS.get(schemaKey(parent))?.[key];
  if (misplaced) return `unknown key "${key}" (${misplaced})`;
  const allowed = Object.keys((parent['properties'] ?? {}) as SchemaObject);
  const suggestion = suggestKey(key, allowed);
  if (suggestion) return `unknown key "${key}" (did you mean "${suggestion}"?)`;
  return allowed.length > 0 ? `unknown key "${key}" (expected ${listQuoted(allowed, 'or')})` : `unknown key "${key}"`;
}

/** For `oneOf: [{required: [a]}, {required: [b]}, …]`: the keys of which exactly one must be present. */
function exclusiveKeys(branches: unknown): string[] | undefined {
  if (!Array.isArray(branches)) return undefined;
  const keys: string[] = [];
  for (const branch of branches) {
    const required = (branch as SchemaObject)['required'];
    if (Object.keys(branch as object).length !== 1 || !Array.isArray(required) || required.length !== 1) return undefined;
    keys.push(String(required[0]));
  }
  return keys;
}

function describeExclusive(keys: string[], data: unknown, path: PathSegment[]): Omit<Described, 'instancePath'> {
  const present = typeof data === 'object' && data !== null ? keys.filter((key) => Object.hasOwn(data, key)) : [];
  if (present.length === 0) {
    return { path, anchor: 'value', message: `needs one of ${listQuoted(keys, 'or')}`, missing: keys };
  }
  return {
    path,
    anchor: 'value',
    message: `takes exactly one of ${listQuoted(keys, 'or')}, found ${listQuoted(present, 'and')}`,
  };
}

function typeList(type: unknown): string[] {
  if (Array.isArray(type)) return type.map(String);
  return String(type).split(',');
}

/** JSON pointer → path segments, with list indices as numbers. */
function toSegments(pointer: string, root: unknown): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let current = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: PathSegment = Array.isArray(current) ? Number(key) : key;
    segments.push(segment);
    current = current === null || typeof current !== 'object' ? undefined : (current as Record<string, unknown>)[key];
  }
  return segments;
}

function collectObjects(value: unknown, into: Set<unknown>): void {
  if (value === null || typeof value !== 'object') return;
  into.add(value);
  for (const child of Object.values(value)) collectObjects(child, into);
}

function pick(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = (current as SchemaObject | undefined)?.[key];
  return current;
}
