import {
  BerthError,
  ConnectionLostError,
  DatabaseError,
  type EntityMeta,
  PoolTimeoutError,
  type PoolStats,
  StatementTimeoutError,
  TransactionConflictError,
  TransactionsUnsupportedError,
  UniqueViolationError,
  ValidationError,
} from '@berth/core';
import { MongoBulkWriteError, MongoError, MongoNetworkError, MongoServerSelectionError } from 'mongodb';

const DUPLICATE_KEY = new Set([11000, 11001, 12582]);
/** DocumentValidationFailure: the collection's validator refused the document. */
const DOCUMENT_VALIDATION_FAILURE = 121;
const MAX_TIME_MS_EXPIRED = 50;
const ILLEGAL_OPERATION = 20;
/** WriteConflict, LockTimeout, NoSuchTransaction: the transaction lost a race and can be run again. */
const CONFLICT = new Set([112, 24, 251]);
/**
 * The driver's wait-queue timeout, by name (the driver does not export its class): the class is
 * `WaitQueueTimeoutError`, its `name` `MongoWaitQueueTimeoutError` in mongodb 7; either is accepted.
 */
const WAIT_QUEUE_TIMEOUT = new Set(['MongoWaitQueueTimeoutError', 'WaitQueueTimeoutError']);
/**
 * The server is shutting down, stepping down or not (yet) primary: the request did not run where it
 * was sent, and the driver will find the new primary. For berth the connection is lost.
 */
const NODE_UNAVAILABLE = new Set([91, 189, 10107, 11600, 11602, 13435, 13436, 6]);
/**
 * Node's own socket errors. The driver normally wraps them in `MongoNetworkError`, but mongodb 7.9
 * rethrows the raw one when a write waits for 'drain' on a socket the server has closed
 * (`Connection.writeCommand`), e.g. `EPIPE: This socket has been ended by the other party`.
 */
const SOCKET_ERROR_CODES = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTCONN',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  'ERR_SOCKET_CLOSED',
]);

/** What the mapper may need besides the error. */
export interface MongoErrorContext {
  /** The entity of the command, to name the fields of a violated unique index. */
  readonly entity?: EntityMeta;
  /** The driver's pool state and wait deadline, for a wait-queue timeout. */
  readonly pool?: () => {
    /** The core pool's counts when the wait timed out. */
    stats: PoolStats;
    /** How long a caller waited for a socket before the driver gave up, in milliseconds. */
    waitQueueTimeoutMs: number;
  };
}

function codeOf(error: unknown): number | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

function hasLabel(error: unknown, label: string): boolean {
  return error instanceof MongoError && error.hasErrorLabel(label);
}

/** The first write error of a bulk write, or the error itself. */
function firstWriteError(error: unknown): { code?: number; errmsg?: string; keyPattern?: unknown } {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const first = Array.isArray(writeErrors) ? writeErrors[0] : writeErrors;
  if (first && typeof first === 'object') {
    const raw = (first as { err?: Record<string, unknown> }).err ?? (first as Record<string, unknown>);
    return {
      code: typeof raw.code === 'number' ? raw.code : codeOf(first),
      errmsg: typeof raw.errmsg === 'string' ? raw.errmsg : undefined,
      keyPattern: raw.keyPattern,
    };
  }
  const e = error as { message?: string; keyPattern?: unknown; errorResponse?: { keyPattern?: unknown } };
  return { code: codeOf(error), errmsg: e.message, keyPattern: e.keyPattern ?? e.errorResponse?.keyPattern };
}

/**
 * The fields of the violated unique index: by the index name in the message (berth names indexes
 * `${entity}_${field}_key`, see `IndexMeta`), else by the `keyPattern` the server reports.
 */
function duplicateFields(
  entity: EntityMeta | undefined,
  detail: { errmsg?: string; keyPattern?: unknown },
): string[] {
  const name = /index: (\S+) dup key/.exec(detail.errmsg ?? '')?.[1];
  if (name === '_id_') return ['id'];
  const index = entity?.indexes.find((i) => i.name === name);
  if (index) return [...index.fields];
  if (detail.keyPattern && typeof detail.keyPattern === 'object') {
    return Object.keys(detail.keyPattern).map((key) => (key === '_id' ? 'id' : key));
  }
  return [];
}

/** The `errInfo` of a write error or a command error (where the driver puts it differs). */
function errInfoOf(error: unknown): { details?: { schemaRulesNotSatisfied?: unknown } } | undefined {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const first = (Array.isArray(writeErrors) ? writeErrors[0] : writeErrors) as
    | { errInfo?: unknown; err?: { errInfo?: unknown } }
    | undefined;
  const info =
    first?.errInfo ??
    first?.err?.errInfo ??
    (error as { errInfo?: unknown }).errInfo ??
    (error as { errorResponse?: { errInfo?: unknown } }).errorResponse?.errInfo;
  return info && typeof info === 'object'
    ? (info as { details?: { schemaRulesNotSatisfied?: unknown } })
    : undefined;
}

/** The fields a `$jsonSchema` failure names (`required`'s missing ones, `properties`' failing ones). */
function failingFields(rules: unknown): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  for (const rule of Array.isArray(rules) ? rules : []) {
    const r = rule as {
      operatorName?: string;
      missingProperties?: unknown;
      propertiesNotSatisfied?: unknown;
    };
    if (r.operatorName === 'required' && Array.isArray(r.missingProperties))
      for (const key of r.missingProperties)
        issues.push({
          field: key === '_id' ? 'id' : String(key),
          message: 'missing (required by the validator)',
        });
    if (r.operatorName === 'properties' && Array.isArray(r.propertiesNotSatisfied))
      for (const p of r.propertiesNotSatisfied as {
        propertyName?: string;
        details?: { operatorName?: string }[];
      }[])
        issues.push({
          field: p.propertyName === '_id' ? 'id' : String(p.propertyName),
          message: `breaks the validator's ${(p.details ?? []).map((d) => d.operatorName).join(', ') || 'rules'}`,
        });
  }
  return issues;
}

function validationFailure(error: Error, entity: EntityMeta | undefined): ValidationError {
  const issues = failingFields(errInfoOf(error)?.details?.schemaRulesNotSatisfied);
  const where = entity ? `${entity.name}: ` : '';
  const fields = issues.length > 0 ? ` (${issues.map((i) => `${i.field} ${i.message}`).join('; ')})` : '';
  const failure = new ValidationError(
    `${where}the collection's JSON-schema validator refused the document, which was not written${fields}`,
    issues,
  );
  (failure as { cause?: unknown }).cause = error;
  return failure;
}

function isStandaloneRefusal(error: unknown): boolean {
  const original = (error as { errorResponse?: { originalError?: unknown } }).errorResponse?.originalError;
  const message = (error as { message?: string }).message ?? '';
  return (
    codeOf(error) === ILLEGAL_OPERATION ||
    codeOf(original) === ILLEGAL_OPERATION ||
    message.includes('Transaction numbers are only allowed on a replica set member or mongos') ||
    message.includes('does not support retryable writes')
  );
}

/**
 * True for an error that means the link to the server is gone (the caller marks its connection broken).
 * A bulk write (`insertMany`) wraps the network error in a `MongoBulkWriteError`, as `errorResponse`.
 */
export function isConnectionFailure(error: unknown, depth = 0): boolean {
  if (depth > 4 || !(error instanceof Error)) return false;
  const { errorResponse, cause } = error as { errorResponse?: unknown; cause?: unknown };
  for (const inner of [errorResponse, cause]) {
    if (inner instanceof Error && inner !== error && isConnectionFailure(inner, depth + 1)) return true;
  }
  const socketCode = (error as { code?: unknown }).code;
  if (typeof socketCode === 'string' && SOCKET_ERROR_CODES.has(socketCode)) return true;
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  const name = (error as { name?: string })?.name;
  if (
    name === 'MongoTopologyClosedError' ||
    name === 'MongoNotConnectedError' ||
    name === 'PoolClosedError'
  ) {
    return true;
  }
  const code = codeOf(error);
  return code !== undefined && NODE_UNAVAILABLE.has(code);
}

/**
 * The driver's own error behind a bulk write's: `insertMany` (every berth insert) reports a failure that is
 * not a write error (no free socket, no server selected, a lost connection, a client-side timeout) as a
 * `MongoBulkWriteError` whose `errorResponse` is the original error. That one says what happened; the
 * wrapper only copies its fields. A bulk write error carrying write errors or a write-concern error wraps
 * no `Error` and is returned as it is.
 */
export function unwrapBulkWriteError(error: Error): Error {
  if (!(error instanceof MongoBulkWriteError)) return error;
  const inner: unknown = error.errorResponse;
  return inner instanceof Error && inner !== error ? inner : error;
}

/**
 * Converts a driver error into berth's neutral errors, MikroORM-style (a bulk write's wrapper is first
 * unwrapped to the driver error it carries, see `unwrapBulkWriteError`):
 * - duplicate key (E11000) → `UniqueViolationError` naming the index's fields;
 * - DocumentValidationFailure (121: the collection's JSON-schema validator refused the document) →
 *   `ValidationError` naming the fields the server reported (the refused document was not written; a
 *   multi-document write outside a transaction may have changed documents before it, which
 *   `partlyAppliedError` reports);
 * - network errors, server selection failures, a cleared or closed pool, a primary stepping down →
 *   `ConnectionLostError` (checked first: inside a transaction the driver also labels them
 *   `TransientTransactionError`, but the session must be discarded);
 * - the driver's wait-queue timeout → `PoolTimeoutError` carrying the driver pool's counts (berth's
 *   own pool normally times out first, since at most `max` sessions exist for `max` sockets);
 * - MaxTimeMSExpired (50) → `StatementTimeoutError`;
 * - "transaction numbers are only allowed on a replica set member" (code 20, standalone) →
 *   `TransactionsUnsupportedError`;
 * - the `TransientTransactionError` label, WriteConflict (112), LockTimeout (24), NoSuchTransaction
 *   (251) → `TransactionConflictError` (retryable: run the whole unit of work again);
 * - anything else → `DatabaseError` with the server's code.
 */
export function mapMongoError(error: unknown, context: MongoErrorContext = {}): Error {
  if (error instanceof BerthError) return error;
  if (!(error instanceof Error)) return new DatabaseError(String(error), undefined, { cause: error });
  // Without this, an insert that found no free socket within the wait-queue timeout was a DatabaseError
  // (a 500 in the app) where a find was a PoolTimeoutError.
  const driverError = unwrapBulkWriteError(error);
  if (driverError !== error) return mapMongoError(driverError, context);
  const detail = firstWriteError(error);
  if (detail.code !== undefined && DUPLICATE_KEY.has(detail.code)) {
    return new UniqueViolationError(context.entity?.name, duplicateFields(context.entity, detail), {
      cause: error,
    });
  }
  if (detail.code === DOCUMENT_VALIDATION_FAILURE) return validationFailure(error, context.entity);
  if (isConnectionFailure(error)) {
    return new ConnectionLostError(`the MongoDB connection was lost: ${error.message}`, { cause: error });
  }
  const waitQueueTimeout = WAIT_QUEUE_TIMEOUT.has(error.name);
  if (waitQueueTimeout && context.pool) {
    const { stats, waitQueueTimeoutMs } = context.pool();
    return new PoolTimeoutError(waitQueueTimeoutMs, stats, error, 'the MongoDB driver had no free socket');
  }
  if (waitQueueTimeout) {
    return new ConnectionLostError(`the MongoDB driver had no free socket: ${error.message}`, {
      cause: error,
    });
  }
  const code = codeOf(error);
  if (code === MAX_TIME_MS_EXPIRED || error.name === 'MongoOperationTimeoutError') {
    return new StatementTimeoutError(`the MongoDB operation exceeded its time limit: ${error.message}`, {
      cause: error,
    });
  }
  if (isStandaloneRefusal(error)) {
    return new TransactionsUnsupportedError(
      'this MongoDB deployment is a standalone server, which has no transactions (they need a replica set or mongos); nothing was written',
    );
  }
  if (hasLabel(error, 'TransientTransactionError') || (code !== undefined && CONFLICT.has(code))) {
    return new TransactionConflictError(
      `the MongoDB transaction was aborted by a concurrent conflict; run it again: ${error.message}`,
      { cause: error },
    );
  }
  const codeName = (error as { codeName?: string }).codeName;
  return new DatabaseError(error.message, code ?? codeName, { cause: error });
}
