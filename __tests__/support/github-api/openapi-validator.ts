// Checks a request against GitHub's published OpenAPI description (@octokit/openapi, api.github.com.json): finds the
// operation by method + path template (an unknown route is an error), then validates path and query parameters
// (types, enums; unknown query parameters are errors) and the JSON body against the operation's requestBody schema.
// The body check is stricter than the description: an object schema with `properties` is closed (unknown fields are
// errors) unless it says `additionalProperties`. The 13 MB description (not the 73 MB `.deref` variant) is read once
// per process, on the first request (~0.2 s); `$ref`s are inlined and the validators compiled per operation, lazily.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2019, type ValidateFunction } from 'ajv/dist/2019.js';

type Schema = Record<string, unknown>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
  'x-multi-segment'?: boolean;
}

interface Operation {
  operationId: string;
  parameters?: (Parameter | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
}

interface Description {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

export interface MatchedOperation {
  /** `POST /repos/{owner}/{repo}/deployments` */
  route: string;
  operationId: string;
  /** Path parameters, decoded. */
  params: Record<string, string>;
}

export interface CheckedRequest {
  /** Undefined when no operation of the description has this method and path. */
  operation?: MatchedOperation;
  /** One line per violation; empty when GitHub would accept the request's shape. */
  errors: string[];
}

interface Template {
  path: string;
  segments: string[];
  /** Literal segments: a template with more of them wins (`/releases/latest` over `/releases/{release_id}`). */
  literals: number;
  multiSegment: boolean;
  methods: Record<string, Operation>;
}

interface CompiledOperation {
  params: ValidateFunction;
  query: ValidateFunction;
  body?: ValidateFunction;
  bodyRequired: boolean;
}

let description: Description | undefined;
let templates: Template[] | undefined;
const compiled = new Map<string, CompiledOperation>();

function spec(): Description {
  if (!description) {
    const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
    description = JSON.parse(readFileSync(file, 'utf8')) as Description;
  }
  return description;
}

/** Every path of the description, those with more literal segments first. */
function pathTemplates(): Template[] {
  if (!templates) {
    templates = Object.entries(spec().paths).map(([path, methods]) => {
      const segments = path.split('/').slice(1);
      const multiSegment = Object.values(methods).some((operation) => parametersOf(operation, 'path').some((p) => p['x-multi-segment'] === true));
      return { path, segments, literals: segments.filter((s) => !s.startsWith('{')).length, multiSegment, methods };
    });
    templates.sort((a, b) => b.literals - a.literals);
  }
  return templates;
}

// Query strings and path segments are text: their values are coerced to the declared types before checking.
const ajv = new Ajv2019({ strict: false, allErrors: true, coerceTypes: true, useDefaults: false });
const bodyAjv = new Ajv2019({ strict: false, allErrors: true });
for (const instance of [ajv, bodyAjv]) {
  instance.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  instance.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  instance.addFormat('uri', { validate: (value: string) => URL.canParse(value) });
  for (const loose of ['int64', 'repo.nwo', 'binary']) instance.addFormat(loose, true);
}

function resolveRef(ref: string): unknown {
  const [, ...keys] = ref.split('/');
  let node: unknown = spec();
  for (const key of keys) node = (node as Record<string, unknown>)[key.replaceAll('~1', '/').replaceAll('~0', '~')];
  if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
  return node;
}

/**
 * A self-contained JSON schema: `$ref`s inlined, OpenAPI's `nullable` turned into a `null` type, and objects with
 * `properties` closed (`additionalProperties: false`, or `unevaluatedProperties: false` over an `allOf`).
 */
function strictSchema(node: unknown, inAllOf = false, trail: string[] = []): unknown {
  if (Array.isArray(node)) return node.map((item) => strictSchema(item, false, trail));
  if (!node || typeof node !== 'object') return node;
  const source = node as Schema;
  if (typeof source.$ref === 'string') {
    if (trail.includes(source.$ref)) return {}; // a recursive schema: deeper levels are not checked
    return strictSchema(resolveRef(source.$ref), inAllOf, [...trail, source.$ref]);
  }
  const schema: Schema = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'example' || key === 'examples' || key === 'description' || key === 'nullable') continue;
    if (key === 'properties') {
      schema.properties = Object.fromEntries(Object.entries(value as Schema).map(([name, property]) => [name, strictSchema(property, false, trail)]));
    } else if (key === 'allOf') {
      schema.allOf = (value as unknown[]).map((branch) => strictSchema(branch, true, trail));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not' || key === 'anyOf' || key === 'oneOf') {
      schema[key] = strictSchema(value, false, trail);
    } else {
      schema[key] = value;
    }
  }
  if (!inAllOf && !('additionalProperties' in source)) {
    if (source.allOf) schema.unevaluatedProperties = false;
    else if (source.properties) schema.additionalProperties = false;
  }
  if (source.nullable === true) {
    if (Array.isArray(schema.enum)) schema.enum = [...(schema.enum as unknown[]), null];
    if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
    return { anyOf: [schema, { type: 'null' }] };
  }
  return schema;
}

function parametersOf(operation: Operation, where: 'path' | 'query'): Parameter[] {
  return (operation.parameters ?? [])
    .map((parameter) => ('$ref' in parameter ? (resolveRef(parameter.$ref) as Parameter) : parameter))
    .filter((parameter) => parameter.in === where);
}

function parametersSchema(parameters: Parameter[], closed: boolean): Schema {
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((p) => [p.name, strictSchema(p.schema ?? {})])),
    required: parameters.filter((p) => p.required).map((p) => p.name),
    additionalProperties: !closed,
  };
}

function compile(route: string, operation: Operation): CompiledOperation {
  let entry = compiled.get(route);
  if (!entry) {
    const json = operation.requestBody?.content['application/json']?.schema;
    entry = {
      params: ajv.compile(parametersSchema(parametersOf(operation, 'path'), false)),
      query: ajv.compile(parametersSchema(parametersOf(operation, 'query'), true)),
      body: json ? bodyAjv.compile(strictSchema(json) as Schema) : undefined,
      bodyRequired: operation.requestBody?.required === true,
    };
    compiled.set(route, entry);
  }
  return entry;
}

function match(method: string, path: string): { template: Template; operation: Operation; params: Record<string, string> } | undefined {
  const segments = path.split('/').slice(1);
  for (const template of pathTemplates()) {
    const operation = template.methods[method.toLowerCase()];
    if (!operation) continue;
    const params = matchSegments(template, segments);
    if (params) return { template, operation, params };
  }
  return undefined;
}

/** Segment by segment; a last `x-multi-segment` parameter (a ref like `tags/v1.2.0`) takes the rest of the path. */
function matchSegments(template: Template, segments: string[]): Record<string, string> | undefined {
  const last = template.segments.length - 1;
  if (segments.length !== template.segments.length && !(template.multiSegment && segments.length > template.segments.length)) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index <= last; index++) {
    const expected = template.segments[index]!;
    const actual = index === last ? segments.slice(index).join('/') : segments[index]!;
    if (expected.startsWith('{')) {
      if (actual === '' || (index !== last && actual.includes('/'))) return undefined;
      params[expected.slice(1, -1)] = decodeURIComponent(actual);
    } else if (expected !== actual) {
      return undefined;
    }
  }
  return params;
}

function describe(errors: ValidateFunction['errors'], where: string): string[] {
  return (errors ?? []).map((error) => {
    const at = `${where}${error.instancePath}`;
    const extra = error.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : error.params && 'unevaluatedProperty' in error.params ? ` (${String(error.params.unevaluatedProperty)})` : error.params && 'allowedValues' in error.params ? ` (${(error.params.allowedValues as unknown[]).join(', ')})` : '';
    return `${at} ${error.message ?? 'is invalid'}${extra}`;
  });
}

/** Checks one request's route, parameters and body; `body` is the parsed JSON body, or undefined when there is none. */
export function checkRequest(method: string, path: string, query: URLSearchParams, body: unknown): CheckedRequest {
  const found = match(method, path);
  if (!found) return { errors: [`no operation ${method} ${path} in GitHub's OpenAPI description`] };
  const route = `${method} ${found.template.path}`;
  const validators = compile(route, found.operation);
  const errors: string[] = [];
  if (!validators.params({ ...found.params })) errors.push(...describe(validators.params.errors, 'path'));
  const queryValues: Record<string, string | string[]> = {};
  for (const key of new Set(query.keys())) {
    const all = query.getAll(key);
    queryValues[key] = all.length > 1 ? all : all[0]!;
  }
  if (!validators.query(queryValues)) errors.push(...describe(validators.query.errors, 'query'));
  if (body === undefined) {
    if (validators.bodyRequired) errors.push('body is required');
  } else if (!validators.body) {
    errors.push('body sent to an operation that takes none');
  } else if (!validators.body(body)) {
    errors.push(...describe(validators.body.errors, 'body'));
  }
  return { operation: { route, operationId: found.operation.operationId, params: found.params }, errors };
}
