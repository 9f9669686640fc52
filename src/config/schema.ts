// The shipped JSON schema (schema/meta-deploy.schema.json) compiled by Ajv: the file editors complete against is
// exactly the file the loader validates against.
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import schema from '../../schema/meta-deploy.schema.json' with { type: 'json' };

export const configSchema: Readonly<Record<string, unknown>> = schema;

let compiled: ValidateFunction | undefined;

/** Schema errors for a parsed YAML value; empty when it conforms. Compiles the schema on first use. */
export function validateSchema(value: unknown): ErrorObject[] {
  // verbose: errors carry their schema and parent schema, which problem wording needs (allowed keys, enum values).
  compiled ??= new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true }).compile(schema);
  return compiled(value) ? [] : [...(compiled.errors ?? [])];
}
