import {
  BerthError,
  ConnectionLostError,
  DatabaseError,
  type EntityMeta,
  ForeignKeyViolationError,
  ReadOnlyTransactionError,
  StatementTimeoutError,
  TransactionConflictError,
  UniqueViolationError,
} from '@berth/core';
import { findForeignKey } from './find-foreign-key.js';
import { findUniqueIndex } from './find-unique-index.js';
import { isConnectionFailure } from './is-connection-failure.js';

/** The fields of a PostgreSQL error that pg and PGlite both expose. */
interface PostgresErrorFields {
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  message?: unknown;
}

/**
 * Converts an error thrown by a PostgreSQL driver (pg or PGlite) into berth's neutral error, by SQLSTATE:
 * 23505 → `UniqueViolationError` naming the fields of the violated index; 23503 and 23001 →
 * `ForeignKeyViolationError` naming the relation; 40001 and 40P01 (serialization
 * failure, deadlock) and 55P03 (lock wait timeout) → `TransactionConflictError`; 57014 →
 * `StatementTimeoutError`; class 08, 57P01-57P03 and socket failures → `ConnectionLostError`; anything else
 * → `DatabaseError` with the SQLSTATE as `driverCode`. Berth errors pass through unchanged. The caller
 * throws the result, and marks its connection broken when it is a `ConnectionLostError`.
 */
export function mapPostgresError(error: unknown, entities: readonly EntityMeta[]): BerthError {
  if (error instanceof BerthError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as PostgresErrorFields;
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  const options = { cause: error };

  if (code === '23505') {
    const constraint = typeof fields.constraint === 'string' ? fields.constraint : undefined;
    const table = typeof fields.table === 'string' ? fields.table : undefined;
    const match = findUniqueIndex(entities, constraint, table);
    return new UniqueViolationError(match.entity, match.fields, options);
  }
  // 23503: a reference to a missing row, or a delete under NO ACTION; 23001: a delete under RESTRICT.
  if (code === '23503' || code === '23001') {
    const constraint = typeof fields.constraint === 'string' ? fields.constraint : undefined;
    const match = findForeignKey(entities, constraint);
    return new ForeignKeyViolationError(match.entity, match.relation, constraint, options);
  }
  if (code === '40001' || code === '40P01' || code === '55P03')
    return new TransactionConflictError(message, options);
  if (code === '57014') return new StatementTimeoutError(message, options);
  // read_only_sql_transaction: a write in a transaction begun READ ONLY.
  if (code === '25006') return new ReadOnlyTransactionError(message, options);
  if (code?.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03') {
    return new ConnectionLostError(message, options);
  }
  // Socket failures carry Node codes (ECONNRESET) or only a message, never a SQLSTATE.
  const isSqlState = code !== undefined && /^[0-9A-Z]{5}$/.test(code);
  if (!isSqlState && isConnectionFailure(error)) return new ConnectionLostError(message, options);
  return new DatabaseError(message, code, options);
}
