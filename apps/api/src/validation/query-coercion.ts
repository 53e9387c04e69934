/**
 * Turns a query string's text into the types its schema declares, strictly: an integer is optional `-`
 * then digits (no `1e3`, `0x10`, ` 5` or `5.0`, which Ajv's own coercion would take), a boolean is `true`
 * or `false`. Anything else is left as text, so the schema refuses it with a 400. Repeated parameters
 * (arrays) are left alone for the same reason.
 */
interface PropertySchema {
  type?: string;
}

function coerce(schema: PropertySchema | undefined, value: unknown): unknown {
  if (typeof value !== 'string' || !schema) return value;
  switch (schema.type) {
    case 'integer':
      return /^-?\d{1,16}$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
    case 'number':
      return /^-?\d{1,16}(\.\d{1,16})?$/.test(value) ? Number(value) : value;
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    default:
      return value;
  }
}

/** Makes the coercer for one querystring schema (an object schema with `properties`). */
export function queryCoercer(schema: unknown): (query: unknown) => unknown {
  const properties = ((schema as { properties?: Record<string, PropertySchema> }).properties ?? {}) as Record<
    string,
    PropertySchema
  >;
  return (query) => {
    if (typeof query !== 'object' || query === null) return query;
    // A fresh object with a null prototype: a parameter named `__proto__` stays a plain (unknown) key.
    const result: Record<string, unknown> = Object.create(null);
    for (const [key, value] of Object.entries(query)) {
      result[key] = coerce(Object.hasOwn(properties, key) ? properties[key] : undefined, value);
    }
    return result;
  };
}
