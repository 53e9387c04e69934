import type { ReferentialAction } from '../entity/entity-meta.js';

/**
 * The neutral family of a stored column, whatever the backend spells it (`varchar(255)`, `bigint(20)`,
 * `timestamptz(3)`...). The differ reasons on families (is a change a widening or a narrowing?) and compares
 * the backend's canonical `type` spelling for equality. Kinds beyond berth's current field kinds (`decimal`,
 * `date`, `bytes`, `enum`) are listed so introspection can name them and field kinds added later map onto
 * them; `unknown` is a type berth does not make (reported as drift, never guessed at).
 */
export type ColumnKind =
  | 'string'
  | 'integer'
  | 'float'
  | 'boolean'
  | 'datetime'
  | 'json'
  | 'decimal'
  | 'date'
  | 'bytes'
  | 'enum'
  | 'unknown';

/** A column's stored type: its neutral family, the backend's canonical spelling, and its length if any. */
export interface ColumnType {
  /** The neutral family the differ reasons on (is a change a widening or a narrowing?). */
  readonly kind: ColumnKind;
  /** The backend's canonical spelling, lower case, without collation (`varchar(255)`, `bigint`, `jsonb`). */
  readonly type: string;
  /** Characters for `varchar(n)`; absent for unbounded text and for non-string kinds. */
  readonly length?: number;
  /** Integer width in bits (32, 64) where the family has several, so int -> bigint reads as a widening. */
  readonly bits?: number;
}

/** One column of a live table. Document stores have none (`TableModel.columns` is undefined). */
export interface ColumnModel extends ColumnType {
  /** The column's name, which is the field's name. */
  readonly name: string;
  /** Whether the column accepts NULL. */
  readonly nullable: boolean;
  /**
   * The database-side default as the server prints it, or null. berth applies field defaults in the client,
   * so the differ does not compare defaults; they are reported for review.
   */
  readonly default: string | null;
}

/** One index or unique constraint (the primary key is not listed). */
export interface IndexModel {
  /** The index's (constraint's) name as the server reports it. */
  readonly name: string;
  /** Column (document key) names in index order. */
  readonly columns: readonly string[];
  /** Whether it is a unique index or constraint. */
  readonly unique: boolean;
}

/** A foreign key (a `belongsTo` relation's constraint), introspected where the backend has them. */
export interface ForeignKeyModel {
  /** The constraint's name as the server reports it. */
  readonly name: string;
  /** The referencing columns (the `belongsTo` foreign key), in key order. */
  readonly columns: readonly string[];
  /** The table referenced. */
  readonly referencedTable: string;
  /** The referenced columns (`id` for berth's relations), in the order of `columns`. */
  readonly referencedColumns: readonly string[];
  /**
   * The `ON DELETE` action as berth names it; `unknown` for one berth never writes (`SET DEFAULT`), so a
   * relation declaring any action differs from it. Absent when the backend does not report it.
   */
  readonly onDelete?: ReferentialAction | 'unknown';
}

/** One live table or collection. */
export interface TableModel {
  /** The table's or collection's name. */
  readonly name: string;
  /** Columns in ordinal order; undefined for schemaless collections. */
  readonly columns: readonly ColumnModel[] | undefined;
  /** Every index and unique constraint, the primary key excepted. */
  readonly indexes: readonly IndexModel[];
  /** Every foreign key constraint; empty where the backend keeps none (MongoDB). */
  readonly foreignKeys: readonly ForeignKeyModel[];
  /** A MongoDB collection's JSON-schema validator, as stored; undefined elsewhere or when none. */
  readonly validator?: unknown;
  /** A MongoDB collection's `validationLevel` (`strict`, `moderate`, `off`), when set. */
  readonly validationLevel?: string;
  /** A MongoDB collection's `validationAction` (`error`, `warn`), when set. */
  readonly validationAction?: string;
}

/**
 * A collection's document validation as MongoDB keeps it: the validator document (`{ $jsonSchema }`) and
 * when it applies. `level` and `action` are MongoDB's defaults (`strict`, `error`) when not set.
 */
export interface CollectionValidation {
  /** The validator document; undefined for a collection without one. */
  readonly validator: unknown;
  /** `strict` (every insert and update), `moderate` (not updates of documents already invalid) or `off`. */
  readonly level: string;
  /** `error` (the write is refused) or `warn` (logged by the server, written anyway). */
  readonly action: string;
}

/** The live schema of one database, as introspection reads it (berth's own bookkeeping tables excluded). */
export interface SchemaModel {
  /** Every table or collection of the database, berth's bookkeeping tables (`berth_*`) excluded. */
  readonly tables: readonly TableModel[];
}
