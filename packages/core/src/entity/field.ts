import { belongsTo } from './relation-definitions.js';
import type { FieldKind, FieldMeta } from './entity-meta.js';
import { ValidationError } from '../errors/validation-error.js';
import { DEFAULT_MAX_BYTES } from './kinds/bytes-kind.js';
import { checkDecimalShape } from './kinds/decimal-kind.js';
import { checkEnumValues } from './kinds/enum-kind.js';

export type { FieldKind, FieldMeta } from './entity-meta.js';

/** Kinds whose values the data layer sets; a caller never supplies them on insert or update. */
export const MANAGED_KINDS: ReadonlySet<FieldKind> = new Set(['id', 'version', 'createdAt', 'updatedAt']);

/**
 * A field declaration. `T` is the stored value's type, `Optional` says whether an insert may omit it
 * (it has a default, is nullable, or is managed by the data layer). Instances are immutable: every
 * modifier returns a new field.
 */
export class Field<T, Optional extends boolean = false, Kind extends FieldKind = FieldKind> {
  /** Phantom members: they carry the inferred types and never exist at run time. */
  declare readonly __type: T;
  /** Phantom: whether an insert may omit the field, for type inference only. */
  declare readonly __optional: Optional;
  /** Phantom: the field's kind as a literal type, so filters and operators can be typed per kind. */
  declare readonly __kind: Kind;

  constructor(
    /** The field's run-time description, which validation and the adapters read. */
    readonly meta: FieldMeta,
  ) {}

  /** Allows `null`. A nullable field may be omitted on insert and is then stored as `null`. */
  nullable(): Field<T | null, true, Kind> {
    return new Field({ ...this.meta, nullable: true });
  }

  /** A value used when an insert omits the field: a constant, or a function evaluated per row. */
  default(value: T | (() => T)): Field<T, true, Kind> {
    return new Field({ ...this.meta, hasDefault: true, defaultValue: value });
  }

  /** A unique index on this field; a duplicate raises `UniqueViolationError` naming it. */
  unique(): Field<T, Optional, Kind> {
    return new Field({ ...this.meta, unique: true });
  }

  /** A (non-unique) index on this field. */
  index(): Field<T, Optional, Kind> {
    return new Field({ ...this.meta, indexed: true });
  }

  /**
   * Says this field's column used to be called `previousName`, so `berth migrate generate` renames the
   * column (keeping its data) instead of dropping it and adding a new one.
   */
  renamedFrom(previousName: string): Field<T, Optional, Kind> {
    return new Field({ ...this.meta, renamedFrom: previousName });
  }
}

function make<T, O extends boolean, K extends FieldKind>(
  kind: K,
  extra: Partial<FieldMeta> = {},
): Field<T, O, K> {
  return new Field<T, O, K>({
    kind,
    nullable: false,
    unique: false,
    indexed: false,
    hasDefault: false,
    ...extra,
  });
}

/** The length bounds of a `field.string`, checked before a write reaches the database. */
export interface LengthOptions {
  /** Minimum length in characters (default 0). */
  min?: number;
  /** Maximum length in characters (default 255). */
  max?: number;
}

/** The shape of a decimal: `precision` digits in all (1..34), `scale` of them after the point (0..30). */
export interface DecimalOptions {
  /** Significant digits in all, 1..34 (34 is what every backend stores exactly). */
  precision: number;
  /** Digits after the decimal point, 0..30 and at most `precision`. */
  scale: number;
}

/** The size bound of a `field.bytes`, checked before a write reaches the database. */
export interface BytesOptions {
  /** The most bytes a value may hold (default 65 535). */
  max?: number;
}

/** The default id: a UUIDv7 berth makes. */
export interface UuidIdOptions {
  /** `'uuidv7'`, the default: a time-ordered UUID made by berth before the insert, so ids sort by creation. */
  strategy?: 'uuidv7';
}

/** A caller-supplied string id, of `min`..`max` characters (default 1..255). */
export interface SuppliedIdOptions extends LengthOptions {
  /** `'supplied'`: the caller gives the id on insert (a natural key); it is never changed afterwards. */
  strategy: 'supplied';
}

/** A database-generated integer id (identity / AUTO_INCREMENT; not on MongoDB). */
export interface IncrementIdOptions {
  /** `'increment'`: the database generates an integer on insert (identity / AUTO_INCREMENT); refused on MongoDB. */
  strategy: 'increment';
}

/** The largest id a caller may supply: a key must fit an index entry on every backend. */
const MAX_SUPPLIED_ID = 255;

function idField(
  options: UuidIdOptions | SuppliedIdOptions | IncrementIdOptions = {},
): Field<unknown, boolean, 'id'> {
  switch (options.strategy) {
    case undefined:
    case 'uuidv7':
      return make('id', { max: 36 });
    case 'supplied': {
      const min = options.min ?? 1;
      const max = options.max ?? MAX_SUPPLIED_ID;
      if (
        !Number.isSafeInteger(min) ||
        !Number.isSafeInteger(max) ||
        min < 1 ||
        max < min ||
        max > MAX_SUPPLIED_ID
      )
        throw new ValidationError(`a supplied id needs 1 <= min <= max <= ${MAX_SUPPLIED_ID}`);
      return make('id', { min, max, idStrategy: 'supplied' });
    }
    case 'increment':
      return make('id', { min: 1, idStrategy: 'increment' });
    default:
      throw new ValidationError(
        `unknown id strategy "${String((options as { strategy: unknown }).strategy)}"`,
      );
  }
}

/**
 * `field.id()`'s overloads: the strategy decides the id's type and whether an insert takes it (required
 * when supplied; absent from `InsertOf` otherwise).
 */
export interface IdBuilder {
  (options?: UuidIdOptions): Field<string, true, 'id'>;
  (options: SuppliedIdOptions): Field<string, false, 'id'>;
  (options: IncrementIdOptions): Field<number, true, 'id'>;
}

/** The value bounds of a `field.integer` or `field.number`, checked before a write reaches the database. */
export interface RangeOptions {
  /** The smallest value accepted (inclusive); default: none. */
  min?: number;
  /** The largest value accepted (inclusive); default: none. */
  max?: number;
}

/**
 * Field builders. Example:
 * ```ts
 * const Employee = defineEntity('employees', {
 *   id: field.id(),
 *   name: field.string({ min: 1, max: 200 }),
 *   salary: field.integer({ min: 0 }),
 *   version: field.version(),
 * });
 * ```
 */
export const field = {
  /**
   * The primary key. By default a time-ordered UUIDv7 string made by the data layer, identical on every
   * backend; `{ strategy: 'supplied' }` takes a string from the caller on insert (required there);
   * `{ strategy: 'increment' }` is an integer the database generates (SQL backends only). See `IdStrategy`.
   */
  id: idField as IdBuilder,
  /** A string of `min` to `max` characters (0 to 255 by default). */
  string: (options: LengthOptions = {}) =>
    make<string, false, 'string'>('string', { min: options.min ?? 0, max: options.max ?? 255 }),
  /** A safe integer (stored as a 64-bit integer; read back as a JavaScript number). */
  integer: (options: RangeOptions = {}) => make<number, false, 'integer'>('integer', { ...options }),
  /** A double-precision floating point number. */
  number: (options: RangeOptions = {}) => make<number, false, 'number'>('number', { ...options }),
  /** A boolean. */
  boolean: () => make<boolean, false, 'boolean'>('boolean'),
  /** An instant, with millisecond precision, stored in UTC. */
  datetime: () => make<Date, false, 'datetime'>('datetime'),
  /** Any JSON value. JSON fields cannot be filtered or sorted on. */
  json: <T = unknown>() => make<T, false, 'json'>('json'),
  /**
   * One of a fixed list of strings; the type is their union. Stored as text (`varchar` sized to the
   * longest value) with a `CHECK (... IN (...))` constraint on SQL backends; on MongoDB berth's validation
   * is the only check. Filters compare and sort it as text (byte order), not in declaration order.
   */
  enum: <const V extends readonly [string, ...string[]]>(values: V) =>
    make<V[number], false, 'enum'>('enum', { values: checkEnumValues(values) }),
  /**
   * An exact decimal, as a string (`"12.50"`), never a float. Stored as `numeric(p, s)`, `DECIMAL(p, s)`,
   * and `Decimal128` on MongoDB; read back with exactly `scale` places. Cannot be filtered or sorted on.
   */
  decimal: (options: DecimalOptions) => {
    checkDecimalShape(options.precision, options.scale);
    return make<string, false, 'decimal'>('decimal', { precision: options.precision, scale: options.scale });
  },
  /** A signed 64-bit integer as a JavaScript `bigint` (exact beyond 2^53). Stored as `bigint` / BSON long. */
  bigint: () => make<bigint, false, 'bigint'>('bigint'),
  /**
   * A calendar day without a time or time zone, as a `YYYY-MM-DD` string (years 1000..9999). Stored as
   * `date` on SQL backends and as the string on MongoDB; it sorts and compares as days.
   */
  date: () => make<string, false, 'date'>('date'),
  /**
   * Raw bytes as a `Uint8Array` (a `Buffer` is accepted; reads return a plain `Uint8Array`), at most `max`
   * bytes (default 65 535). Stored as `bytea`, `varbinary`/`blob`, BSON binary. Cannot be filtered or sorted on.
   */
  bytes: (options: BytesOptions = {}) => {
    const max = options.max ?? DEFAULT_MAX_BYTES;
    if (!Number.isSafeInteger(max) || max < 1) throw new ValidationError('a bytes field needs max >= 1');
    return make<Uint8Array, false, 'bytes'>('bytes', { max });
  },
  /** The optimistic-lock version: 1 on insert, +1 on every change. */
  version: () => make<number, true, 'version'>('version'),
  /** Set once, on insert. */
  createdAt: () => make<Date, true, 'createdAt'>('createdAt'),
  /** Set on insert and on every change. */
  updatedAt: () => make<Date, true, 'updatedAt'>('updatedAt'),
  /** A many-to-one relation stored as the foreign key `<name>Id`; the same as `belongsTo` (docs/relations.md). */
  belongsTo,
} as const;
