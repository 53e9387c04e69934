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

/** The fields of a mysql2 (or mariadb connector) error. */
interface MysqlErrorFields {
  errno?: unknown;
  code?: unknown;
  fatal?: unknown;
  message?: unknown;
  sqlMessage?: unknown;
}

const CONFLICT = new Set([1213 /* ER_LOCK_DEADLOCK */, 1205 /* ER_LOCK_WAIT_TIMEOUT */]);
// 3024: MySQL's max_execution_time; 1969: MariaDB's max_statement_time; 1317: KILL QUERY, which is how
// a client-side statement timeout cancels a statement.
const TIMEOUT = new Set([3024, 1969, 1317]);
// Server gone or lost, connection killed, server shutting down, MySQL 8's idle disconnect.
const LOST = new Set([2006, 2013, 1927, 1053, 4031]);
const LOST_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CONNECTION_KILLED']);

/**
 * Converts an error thrown by mysql2 into berth's neutral error: 1062 (duplicate entry) →
 * `UniqueViolationError` naming the fields of the key in the message; 1451/1452 (foreign key) →
 * `ForeignKeyViolationError` naming the relation, as is a delete cascading deeper than InnoDB's 15 levels
 * (1296 "Got error 193", MySQL's 3008); deadlock and lock wait timeout →
 * `TransactionConflictError`; statement timeouts → `StatementTimeoutError`; fatal errors, lost servers and
 * socket failures → `ConnectionLostError`; anything else → `DatabaseError` with the errno. List the failing
 * statement's entity first in `entities` (a bare `PRIMARY` key is attributed to it).
 */
export function mapMysqlError(error: unknown, entities: readonly EntityMeta[]): BerthError {
  if (error instanceof BerthError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as MysqlErrorFields;
  const errno = typeof fields.errno === 'number' ? fields.errno : undefined;
  const code = typeof fields.code === 'string' ? fields.code : undefined;
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  const options = { cause: error };

  if (errno === 1062 || code === 'ER_DUP_ENTRY') {
    const text = typeof fields.sqlMessage === 'string' ? fields.sqlMessage : message;
    const key = /for key '([^']+)'\s*$/.exec(text)?.[1];
    const match = findUniqueIndex(entities, key);
    return new UniqueViolationError(match.entity, match.fields, options);
  }
  // 1451: a parent row still referenced; 1452: no parent row (1216/1217: their older spellings).
  if (errno === 1451 || errno === 1452 || errno === 1216 || errno === 1217) {
    const text = typeof fields.sqlMessage === 'string' ? fields.sqlMessage : message;
    const constraint = /CONSTRAINT `([^`]+)`/.exec(text)?.[1];
    const match = findForeignKey(entities, constraint);
    return new ForeignKeyViolationError(match.entity, match.relation, constraint, options);
  }
  // InnoDB cascades a delete through at most 15 rows (a self-reference is where that is met): MariaDB says
  // 1296 "Got error 193 '<constraint>' from InnoDB", MySQL 3008 (ER_FK_DEPTH_EXCEEDED). The statement is undone.
  if (errno === 3008 || (errno === 1296 && /\bGot error 193\b/.test(message))) {
    const text = typeof fields.sqlMessage === 'string' ? fields.sqlMessage : message;
    const constraint = /CONSTRAINT `([^`]+)`/.exec(text)?.[1];
    const match = findForeignKey(entities, constraint);
    const reason =
      'the delete would cascade deeper than the 15 levels InnoDB allows; delete the deepest rows first';
    return new ForeignKeyViolationError(match.entity, match.relation, constraint, { cause: error, reason });
  }
  if (errno !== undefined && CONFLICT.has(errno)) return new TransactionConflictError(message, options);
  if (errno !== undefined && TIMEOUT.has(errno)) return new StatementTimeoutError(message, options);
  // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION: a write in a transaction started READ ONLY.
  if (errno === 1792) return new ReadOnlyTransactionError(message, options);
  if (
    fields.fatal === true ||
    (errno !== undefined && LOST.has(errno)) ||
    (code !== undefined && LOST_CODES.has(code)) ||
    isConnectionFailure(error)
  ) {
    return new ConnectionLostError(message, options);
  }
  return new DatabaseError(message, errno ?? code, options);
}
