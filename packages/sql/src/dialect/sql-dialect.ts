import type { FieldMeta } from '@berth/core';

/**
 * Everything that differs between the SQL backends berth supports, as data and small pure functions. The
 * compiler, the row codec and `SqlConnection` read a dialect instead of testing the backend by name, so a
 * new SQL backend is a new dialect object. Implementations: `postgresDialect` (PostgreSQL and PGlite) and
 * `mysqlDialect` (MySQL 8 and MariaDB).
 */
export interface SqlDialect {
  /** Which family of SQL this is; for messages and for adapters, never for branching in the compiler. */
  readonly name: 'postgres' | 'mysql';

  /** Quotes one identifier (`"x"` or `` `x` ``), doubling the quote character inside it. */
  quoteIdentifier(name: string): string;

  /** The placeholder for the `index`-th bound parameter, counting from 1 (`$1` or `?`). */
  placeholder(index: number): string;

  /** The column type for a field, without nullability (`varchar(36) COLLATE "C"`, `bigint`, ...). */
  columnType(field: FieldMeta): string;

  /** Appended after the closing parenthesis of `CREATE TABLE` (engine and character set on MySQL). */
  readonly tableOptions: string;

  /** The SQL for a constant condition (`TRUE` / `FALSE`, or `1=1` / `1=0`). */
  literal(value: boolean): string;

  /** The statement that starts a transaction. */
  readonly beginTransaction: string;

  /**
   * A null-safe "differs" test between two SQL expressions (`a IS DISTINCT FROM b`, `NOT (a <=> b)`):
   * true when exactly one is NULL or both are non-NULL and unequal.
   */
  distinctFrom(left: string, right: string): string;

  /** Whether `INSERT/UPDATE/DELETE ... RETURNING` exists. */
  readonly supportsReturning: boolean;

  /**
   * Whether a `WITH` clause may hold an `UPDATE` (PostgreSQL's data-modifying CTEs): a bounded
   * `updateMany` is then one statement; otherwise it is a locking read and an update in a transaction.
   */
  readonly supportsDataModifyingCte: boolean;

  /**
   * How an upsert is written: `on-conflict` (`INSERT ... ON CONFLICT (key) DO UPDATE ... RETURNING`), or
   * `locking-read` (in a transaction: `SELECT ... FOR UPDATE` by key, then INSERT the missing rows and
   * UPDATE the others), for MySQL/MariaDB, whose `ON DUPLICATE KEY UPDATE` fires on any unique index.
   */
  readonly upsertStyle: 'on-conflict' | 'locking-read';

  /** Whether `CREATE INDEX IF NOT EXISTS` exists; if not, existing indexes are looked up first. */
  readonly supportsCreateIndexIfNotExists: boolean;

  /**
   * A query listing the index names of one table in the current schema as a column `name`; its only
   * parameter is the table name. Used where `CREATE INDEX IF NOT EXISTS` is missing.
   */
  readonly listIndexes: string;

  /**
   * A query listing the foreign-key constraint names of one table in the current schema as a column
   * `name`; its only parameter is the table name. `ensureSchema` adds only the missing ones.
   */
  readonly listForeignKeys: string;

  /** The most bound parameters one statement may carry; inserts are chunked below it. */
  readonly maxParameters: number;

  /** The longest identifier the server accepts (longer index names are shortened deterministically). */
  readonly maxIdentifierLength: number;

  /** The character that escapes `%`, `_` and itself in LIKE patterns, named in an explicit `ESCAPE` clause. */
  readonly likeEscape: string;

  /** The clause that locks the rows a SELECT reads until the transaction ends. */
  readonly forUpdate: string;

  /** The clause that takes shared row locks on the rows a SELECT reads (`FOR SHARE`, `LOCK IN SHARE MODE`). */
  readonly forShare: string;

  /**
   * A regular-expression match of a column against a bound pattern (`col ~ $1`, ``col REGEXP ?``), used for
   * case-insensitive text filters. It must be case-sensitive under berth's binary collations: the pattern
   * spells out both cases of each ASCII letter itself.
   */
  regexMatch(column: string, pattern: string): string;

  /** The regular-expression anchor for the very end of the value (not before a trailing newline). */
  readonly regexEnd: string;

  /** Booleans are stored as integers (MySQL's `tinyint(1)`), so they are bound as 1/0. */
  readonly booleansAsIntegers: boolean;

  /**
   * The driver already parses JSON columns into values. When false, JSON comes back as text and the codec
   * parses it (MariaDB stores JSON as LONGTEXT; the MySQL adapter sets mysql2's `jsonStrings` so MySQL 8
   * does the same and a JSON string value is never mistaken for JSON text).
   */
  readonly jsonParsedByDriver: boolean;

  /**
   * An exact decimal from a bound decimal literal (`CAST($1 AS numeric)`, `CAST(? AS DECIMAL(30,7))`), so
   * a rounding `multiply` computes its product exactly and the dialect's `ROUND` (halves away from zero
   * on exact numbers, on both families) rounds the true product.
   */
  exactDecimal(placeholder: string): string;

  /**
   * A string constant in DDL (an enum's `CHECK (... IN (...))`, where no parameter can be bound): quotes
   * doubled, and on MySQL backslashes too, which its string literals read as escapes.
   */
  stringLiteral(value: string): string;
}
