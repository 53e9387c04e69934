import { Binary, Decimal128, Long, ObjectId } from 'bson';
import type { Document } from 'bson';
import { isPlainObject } from '../bson-values.js';
import { CommandError, ErrorCodes } from '../errors.js';

/**
 * The `$jsonSchema` keywords this server enforces. A validator using any other keyword is refused when the
 * collection is created or modified (`create`, `collMod`), so a test never passes over a rule that was
 * silently ignored. mongod supports more (`pattern`, `oneOf`, `items`, ...).
 */
const KEYWORDS = new Set([
  'bsonType',
  'required',
  'properties',
  'enum',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'additionalProperties',
  'title',
  'description',
]);

const BSON_TYPES = new Set([
  'string',
  'int',
  'long',
  'double',
  'decimal',
  'number',
  'bool',
  'date',
  'object',
  'array',
  'binData',
  'null',
  'objectId',
]);

/**
 * Whether a value is of a BSON type. The wire codec promotes int32, int64 (when it fits) and double to
 * JavaScript numbers, so the original type is lost: an integral number counts as `int` (in int32 range),
 * `long` and `double`; a fractional one as `double`. mongod is stricter (a stored double `1.0` is not `int`).
 */
function isBsonType(value: unknown, type: string): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 31;
    case 'long':
      return value instanceof Long || (typeof value === 'number' && Number.isInteger(value));
    case 'double':
      return typeof value === 'number';
    case 'decimal':
      return value instanceof Decimal128;
    case 'number':
      return typeof value === 'number' || value instanceof Long || value instanceof Decimal128;
    case 'bool':
      return typeof value === 'boolean';
    case 'date':
      return value instanceof Date;
    case 'object':
      return isPlainObject(value);
    case 'array':
      return Array.isArray(value);
    case 'binData':
      return value instanceof Binary;
    case 'null':
      return value === null;
    case 'objectId':
      return value instanceof ObjectId;
    default:
      return false;
  }
}

function typeName(value: unknown): string {
  for (const type of ['null', 'string', 'bool', 'date', 'array', 'object', 'binData', 'objectId', 'decimal'])
    if (isBsonType(value, type)) return type;
  if (value instanceof Long) return 'long';
  if (typeof value === 'number') return isBsonType(value, 'int') ? 'int' : 'double';
  return typeof value;
}

function invalid(message: string): CommandError {
  return new CommandError(ErrorCodes.FailedToParse, `$jsonSchema ${message}`);
}

/** Refuses a schema using a keyword or type this server does not enforce (see `KEYWORDS`). */
export function checkJsonSchema(schema: unknown, path = '$jsonSchema'): void {
  if (!isPlainObject(schema)) throw invalid(`at ${path} must be an object`);
  for (const [keyword, value] of Object.entries(schema)) {
    if (!KEYWORDS.has(keyword))
      throw invalid(`keyword '${keyword}' at ${path} is not supported by the berth test server`);
    if (keyword === 'bsonType')
      for (const type of Array.isArray(value) ? value : [value])
        if (!BSON_TYPES.has(type as string))
          throw invalid(`bsonType '${String(type)}' at ${path} is unknown`);
    if (keyword === 'properties') {
      if (!isPlainObject(value)) throw invalid(`properties at ${path} must be an object`);
      for (const [name, sub] of Object.entries(value)) checkJsonSchema(sub, `${path}.properties.${name}`);
    }
  }
}

/** Compares two scalars the way `enum` does (dates and BSON numbers by value). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b || (a !== null && b !== null && String(a) === String(b) && typeof a === typeof b);
}

/**
 * The rules a value breaks, in mongod's `schemaRulesNotSatisfied` shape (operator name, reason, and for
 * `properties` the failing property names with their own details). Empty when the value satisfies it.
 */
export function jsonSchemaFailures(schema: Document, value: unknown): Document[] {
  const failures: Document[] = [];
  const types = schema.bsonType === undefined ? undefined : [schema.bsonType].flat();
  if (types && !types.some((type) => isBsonType(value, type as string)))
    failures.push({
      operatorName: 'bsonType',
      specifiedAs: { bsonType: schema.bsonType },
      reason: 'type did not match',
      consideredValue: value,
      consideredType: typeName(value),
    });
  if (Array.isArray(schema.enum) && !schema.enum.some((item) => sameValue(item, value)))
    failures.push({
      operatorName: 'enum',
      specifiedAs: { enum: schema.enum },
      reason: 'value was not found in enum',
      consideredValue: value,
    });
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.maxLength === 'number' && length > schema.maxLength)
      failures.push({
        operatorName: 'maxLength',
        specifiedAs: { maxLength: schema.maxLength },
        reason: 'specified string length was not satisfied',
        consideredValue: value,
      });
    if (typeof schema.minLength === 'number' && length < schema.minLength)
      failures.push({
        operatorName: 'minLength',
        specifiedAs: { minLength: schema.minLength },
        reason: 'specified string length was not satisfied',
        consideredValue: value,
      });
  }
  const numeric =
    typeof value === 'number'
      ? value
      : value instanceof Long || value instanceof Decimal128
        ? Number(String(value))
        : undefined;
  if (numeric !== undefined) {
    if (typeof schema.maximum === 'number' && numeric > schema.maximum)
      failures.push({
        operatorName: 'maximum',
        specifiedAs: { maximum: schema.maximum },
        reason: 'comparison failed',
        consideredValue: value,
      });
    if (typeof schema.minimum === 'number' && numeric < schema.minimum)
      failures.push({
        operatorName: 'minimum',
        specifiedAs: { minimum: schema.minimum },
        reason: 'comparison failed',
        consideredValue: value,
      });
  }
  if (!isPlainObject(value)) return failures;
  if (Array.isArray(schema.required)) {
    const missing = schema.required.filter((name) => !Object.hasOwn(value, name as string));
    if (missing.length > 0)
      failures.push({
        operatorName: 'required',
        specifiedAs: { required: schema.required },
        missingProperties: missing,
      });
  }
  if (isPlainObject(schema.properties)) {
    const notSatisfied: Document[] = [];
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (!Object.hasOwn(value, name)) continue;
      const details = jsonSchemaFailures(sub as Document, value[name]);
      if (details.length > 0) notSatisfied.push({ propertyName: name, details });
    }
    if (notSatisfied.length > 0)
      failures.push({ operatorName: 'properties', propertiesNotSatisfied: notSatisfied });
  }
  if (schema.additionalProperties === false) {
    const declared = new Set(Object.keys(isPlainObject(schema.properties) ? schema.properties : {}));
    const extra = Object.keys(value).filter((name) => !declared.has(name));
    if (extra.length > 0)
      failures.push({
        operatorName: 'additionalProperties',
        specifiedAs: { additionalProperties: false },
        additionalProperties: extra,
      });
  }
  return failures;
}
