import { ValidationError } from '../errors/validation-error.js';

/**
 * One piece of a raw SQL statement: text written by the programmer, a value (always sent as a bound
 * parameter), or an identifier (quoted by the dialect). Adapters compile a fragment's parts in order.
 */
export type SqlPart =
  | {
      /** Text the programmer wrote in the template, sent as is. */
      readonly kind: 'text';
      /** The SQL text. */
      readonly text: string;
    }
  | {
      /** An interpolated value, always sent as a bound parameter. */
      readonly kind: 'value';
      /** The value, converted by the adapter as a field of its type would be. */
      readonly value: unknown;
    }
  | {
      /** A `sql.id(...)` name, quoted by the dialect. */
      readonly kind: 'identifier';
      /** The name's parts, outermost first, each quoted on its own. */
      readonly names: readonly string[];
    };

/** The longest identifier part `sql.id` accepts; servers cap names lower still (63 or 64) and say so. */
const MAX_IDENTIFIER_LENGTH = 128;

/**
 * A table, column or schema name for raw SQL, made by `sql.id(...)`. The dialect quotes each part
 * (`"a""b"` on PostgreSQL, `` `a``b` `` on MySQL), so a hostile name stays one name.
 */
export class SqlIdentifier {
  /**
   * The identifier's parts, outermost first (`['public', 'users']` is `"public"."users"`), each quoted on its own.
   */
  readonly names: readonly string[];

  constructor(names: readonly string[]) {
    if (names.length === 0) throw new ValidationError('sql.id needs at least one name');
    for (const name of names) {
      if (typeof name !== 'string' || name.length === 0 || name.length > MAX_IDENTIFIER_LENGTH) {
        throw new ValidationError(
          `sql.id: an identifier must be a non-empty string of at most ${MAX_IDENTIFIER_LENGTH} characters`,
        );
      }
      // No server accepts NUL in a name, and some drivers would cut the statement there.
      if (name.includes('\0')) throw new ValidationError('sql.id: an identifier cannot contain NUL');
    }
    this.names = Object.freeze([...names]);
  }
}

/**
 * A piece of raw SQL built with the `sql` tag: text plus the values and identifiers interpolated into
 * it, never spliced. Fragments nest: a fragment interpolated into another is inlined, its values still
 * bound. Immutable.
 */
export class SqlFragment {
  /** The fragment's text, values and identifiers, in order; nested fragments already inlined. */
  readonly parts: readonly SqlPart[];

  constructor(parts: readonly SqlPart[]) {
    this.parts = Object.freeze([...parts]);
  }

  /** How many values the statement binds. */
  get parameterCount(): number {
    let count = 0;
    for (const part of this.parts) if (part.kind === 'value') count++;
    return count;
  }
}

function pushInterpolation(parts: SqlPart[], value: unknown): void {
  if (value instanceof SqlFragment) parts.push(...value.parts);
  else if (value instanceof SqlIdentifier) parts.push({ kind: 'identifier', names: value.names });
  else parts.push({ kind: 'value', value });
}

/** Builds a fragment from a template literal's strings and interpolations. */
export function fragmentOf(strings: TemplateStringsArray, values: readonly unknown[]): SqlFragment {
  if (!Array.isArray(strings) || !Array.isArray((strings as { raw?: unknown }).raw)) {
    throw new ValidationError('raw SQL must be written as a tagged template: sql`select ...`');
  }
  const parts: SqlPart[] = [];
  strings.forEach((text, index) => {
    if (text.length > 0) parts.push({ kind: 'text', text });
    if (index < values.length) pushInterpolation(parts, values[index]);
  });
  return new SqlFragment(parts);
}

/** The `sql` tag with its helpers: `sql.id` for identifiers, `sql.join` for lists. */
export interface SqlTag {
  /** A fragment: every `${value}` becomes a bound parameter; `${sql.id(...)}` and `${fragment}` are inlined. */
  (strings: TemplateStringsArray, ...values: readonly unknown[]): SqlFragment;
  /**
   * An identifier, one argument per dotted part: `sql.id('public', 'employees')` is `"public"."employees"`.
   * Throws `ValidationError` for an empty name, one longer than 128 characters or one containing NUL.
   */
  id(...names: readonly string[]): SqlIdentifier;
  /**
   * Joins values (bound), identifiers or fragments with `separator` (default `, `):
   * `` sql`where id in (${sql.join(ids)})` ``. An empty list is refused (`in ()` is not SQL).
   */
  join(items: readonly unknown[], separator?: SqlFragment): SqlFragment;
}

function join(
  items: readonly unknown[],
  separator: SqlFragment = new SqlFragment([{ kind: 'text', text: ', ' }]),
) {
  if (items.length === 0) throw new ValidationError('sql.join needs at least one item');
  const parts: SqlPart[] = [];
  items.forEach((item, index) => {
    if (index > 0) parts.push(...separator.parts);
    pushInterpolation(parts, item);
  });
  return new SqlFragment(parts);
}

/**
 * Builds raw SQL fragments to pass to `db.sql` / `db.execute`, or to nest in other fragments.
 * Values are never spliced into the text: the adapter binds each one as a parameter.
 */
export const sql: SqlTag = Object.assign(
  (strings: TemplateStringsArray, ...values: readonly unknown[]) => fragmentOf(strings, values),
  { id: (...names: readonly string[]) => new SqlIdentifier(names), join },
);
