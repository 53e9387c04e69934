import { ValidationError } from '../../errors/validation-error.js';

/** The longest enum value, in characters: it sizes the column (`varchar(n)`) on every SQL backend. */
export const MAX_ENUM_VALUE_LENGTH = 255;

/**
 * Checks an enum's declared values when the field is built: at least one, distinct, non-empty strings
 * without NUL of at most `MAX_ENUM_VALUE_LENGTH` characters. Throws `ValidationError` at definition time.
 */
export function checkEnumValues(values: readonly unknown[]): readonly string[] {
  if (!Array.isArray(values) || values.length === 0)
    throw new ValidationError('an enum field needs at least one value');
  const seen = new Set<string>();
  for (const value of values) {
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ENUM_VALUE_LENGTH)
      throw new ValidationError(`enum values are strings of 1..${MAX_ENUM_VALUE_LENGTH} characters`);
    if (value.includes('\u0000')) throw new ValidationError('enum values must not contain NUL characters');
    if (seen.has(value)) throw new ValidationError(`enum value "${value}" is given twice`);
    seen.add(value);
  }
  return Object.freeze([...values] as string[]);
}

/** The problem with an enum value, or undefined: it must be one of the declared strings. */
export function enumProblem(values: readonly string[], value: unknown): string | undefined {
  if (typeof value === 'string' && values.includes(value)) return undefined;
  return `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}
