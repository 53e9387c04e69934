import type { CollectionValidation, EntityMeta, FieldKind, FieldMeta } from '@berth/core';
import { documentKey } from '../compile-filter.js';

/** The `validationLevel` and `validationAction` berth gives its collections: every write checked, refused. */
export const VALIDATION_LEVEL = 'strict';
/** See `VALIDATION_LEVEL`. */
export const VALIDATION_ACTION = 'error';

/**
 * The BSON types each field kind is stored as (see document-codec.ts). Numbers accept every numeric type
 * the driver may write for a JavaScript number (an integral value goes as `int`, a large one as `double`);
 * `json` has none: any value fits. `id` is a string (MongoDB has no generated ids).
 */
const BSON_TYPES: Record<FieldKind, readonly string[] | undefined> = {
  id: ['string'],
  string: ['string'],
  enum: ['string'],
  date: ['string'],
  integer: ['int', 'long', 'double'],
  number: ['int', 'long', 'double'],
  version: ['int', 'long', 'double'],
  bigint: ['long', 'int'],
  decimal: ['decimal'],
  boolean: ['bool'],
  datetime: ['date'],
  createdAt: ['date'],
  updatedAt: ['date'],
  bytes: ['binData'],
  json: undefined,
};

const NUMERIC: ReadonlySet<FieldKind> = new Set(['integer', 'number']);
const LENGTHS: ReadonlySet<FieldKind> = new Set(['id', 'string']);

/** One field's `$jsonSchema` property: BSON type (plus `null` when nullable), enum values, bounds. */
function property(field: FieldMeta): Record<string, unknown> | undefined {
  const types = BSON_TYPES[field.kind];
  if (!types) return undefined;
  const schema: Record<string, unknown> = {
    bsonType: field.nullable ? [...types, 'null'] : types.length === 1 ? types[0] : [...types],
  };
  if (field.kind === 'enum' && field.values)
    schema.enum = field.nullable ? [...field.values, null] : [...field.values];
  if (LENGTHS.has(field.kind)) {
    if (field.min !== undefined && field.min > 0) schema.minLength = field.min;
    if (field.max !== undefined) schema.maxLength = field.max;
  }
  if (NUMERIC.has(field.kind)) {
    if (field.min !== undefined) schema.minimum = field.min;
    if (field.max !== undefined) schema.maximum = field.max;
  }
  return schema;
}

/**
 * The JSON-schema validator an entity's collection gets (by `generate`, `up` and `ensureSchema`):
 * `required` lists `_id` and every non-nullable field (berth writes every field, nulls included, so only
 * documents from before a field was added lack one); `properties` gives each field's BSON type, `null`
 * allowed when nullable, enum values, string length bounds and numeric bounds where the field declares
 * them. Not expressed: integer-ness (an integral double is accepted), decimal precision and scale, byte
 * sizes, the date-only format, JSON contents; other fields are allowed (no `additionalProperties`), so
 * documents keep fields an entity stopped declaring. berth checks all of these in the client anyway.
 */
export function entityValidation(entity: EntityMeta): CollectionValidation {
  const required: string[] = [];
  const properties: Record<string, unknown> = {};
  for (const name of entity.fieldNames) {
    const field = entity.fields[name]!;
    const key = documentKey(name);
    if (!field.nullable && !required.includes(key)) required.push(key);
    const schema = property(field);
    if (schema) properties[key] = schema;
  }
  if (!required.includes('_id')) required.unshift('_id');
  return {
    validator: { $jsonSchema: { bsonType: 'object', required, properties } },
    level: VALIDATION_LEVEL,
    action: VALIDATION_ACTION,
  };
}

/** The options of `createCollection` / `collMod` that set this validation. */
export function validationOptions(validation: CollectionValidation): {
  validator: Record<string, unknown>;
  validationLevel: 'strict' | 'moderate' | 'off';
  validationAction: 'error' | 'warn';
} {
  return {
    validator: (validation.validator ?? {}) as Record<string, unknown>,
    validationLevel: validation.level as 'strict',
    validationAction: validation.action as 'error',
  };
}
