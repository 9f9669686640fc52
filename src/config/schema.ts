// The shipped JSON schema (schema/meta-deploy.schema.json) and its validator, precompiled from that same file by
// scripts/compile-schema.mjs (a test keeps the two equal): editors complete against exactly what the loader checks.
import type { ErrorObject } from 'ajv';
import schema from '../../schema/meta-deploy.schema.json' with { type: 'json' };
import validate from './schema-validator.generated.js';

export const configSchema: Readonly<Record<string, unknown>> = schema;

/** Schema errors for a parsed YAML value; empty when it conforms. */
export function validateSchema(value: unknown): ErrorObject[] {
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
