import type { DriverConnection } from '../driver/driver-connection.js';
import type { Entity } from '../entity/define-entity.js';
import { UnsupportedFeatureError } from '../errors/unsupported-feature-error.js';
import type { Scope } from '../transaction/scope.js';
import type { RawResult } from './raw-result.js';
import { SqlFragment, fragmentOf, sql } from './sql-fragment.js';

/**
 * `db.sql`: runs raw SQL and resolves to its rows, typed as `Row` (an unchecked claim: rows are what the
 * driver returns, with no entity decoding). Call it as a tag, `` db.sql<Row>`select ... ${value}` ``, or
 * with a prebuilt fragment, `db.sql<Row>(fragment)`. Also carries `id` and `join` (see `sql`).
 */
export interface RawSqlTag {
  <Row = Record<string, unknown>>(
    strings: TemplateStringsArray,
    ...values: readonly unknown[]
  ): Promise<Row[]>;
  <Row = Record<string, unknown>>(fragment: SqlFragment): Promise<Row[]>;
  /** Quotes an identifier (`sql.id`). */
  readonly id: typeof sql.id;
  /** Joins fragments with a separator (`sql.join`). */
  readonly join: typeof sql.join;
}

/** `db.execute`: runs a raw SQL statement and resolves to the number of rows it affected. */
export interface RawExecuteTag {
  (strings: TemplateStringsArray, ...values: readonly unknown[]): Promise<number>;
  (fragment: SqlFragment): Promise<number>;
}

function toFragment(first: TemplateStringsArray | SqlFragment, values: readonly unknown[]): SqlFragment {
  if (first instanceof SqlFragment) return first;
  return fragmentOf(first, values);
}

function runRaw(connection: DriverConnection, fragment: SqlFragment): Promise<RawResult> {
  if (!connection.raw) {
    throw new UnsupportedFeatureError(
      'raw-sql',
      'this backend has no SQL: use db.collection(entity, fn) for direct access to the driver',
    );
  }
  return connection.raw(fragment);
}

/** Makes `db.sql` for a session: each call runs on the session's scope (the pool, or the transaction). */
export function rawSqlTag(scope: () => Scope): RawSqlTag {
  const run = (first: TemplateStringsArray | SqlFragment, ...values: readonly unknown[]) => {
    const fragment = toFragment(first, values);
    return scope()
      .run((connection) => runRaw(connection, fragment))
      .then((result) => result.rows);
  };
  return Object.assign(run, { id: sql.id, join: sql.join }) as RawSqlTag;
}

/** Makes `db.execute` for a session. */
export function rawExecuteTag(scope: () => Scope): RawExecuteTag {
  return ((first: TemplateStringsArray | SqlFragment, ...values: readonly unknown[]) => {
    const fragment = toFragment(first, values);
    return scope()
      .run((connection) => runRaw(connection, fragment))
      .then((result) => result.affectedRows);
  }) as RawExecuteTag;
}

/**
 * `db.collection`: runs `fn` with the driver's own collection for `entity` and the session it must use,
 * on one connection held for the callback (the transaction's, inside one).
 */
export function withNativeCollection<Access, T>(
  scope: Scope,
  entity: Entity,
  fn: (access: Access) => Promise<T>,
): Promise<T> {
  return scope.run((connection) => {
    if (!connection.nativeCollection) {
      throw new UnsupportedFeatureError(
        'native-collection',
        'this backend has no collections: use db.sql`...` for raw SQL',
      );
    }
    return fn(connection.nativeCollection(entity) as Access);
  });
}
