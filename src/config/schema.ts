// The shipped JSON schema (schema/meta-deploy.schema.json) compiled once: the file editors complete against is
// exactly the file the loader validates against.
import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import schema from '../../schema/meta-deploy.schema.json' with { type: 'json' };

export const configSchema: Readonly<Record<string, unknown>> = schema;

// verbose: errors carry their schema and parent schema, which problem wording needs (allowed keys, enum values).
const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });
const validate = ajv.compile(schema);

/** Schema errors for a parsed YAML value; empty when it conforms. */
export function validateSchema(value: unknown): ErrorObject[] {
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
