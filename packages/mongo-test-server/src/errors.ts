import type { Document } from 'bson';

/** Codes the server replies with, named as in MongoDB's `error_codes.yml`. */
export const ErrorCodes = {
  BadValue: 2,
  FailedToParse: 9,
  IllegalOperation: 20,
  TypeMismatch: 14,
  InvalidLength: 16,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  MaxTimeMSExpired: 50,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  DocumentValidationFailure: 121,
  InternalError: 1,
  TransactionTooOld: 225,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  OperationNotSupportedInTransaction: 263,
  DuplicateKey: 11000,
  Location40352: 40352,
} as const;

const codeNames = new Map<number, string>(Object.entries(ErrorCodes).map(([name, code]) => [code, name]));

/** Returns MongoDB's `codeName` for a numeric error code (or `UnknownError`). */
export function codeNameOf(code: number): string {
  return codeNames.get(code) ?? 'UnknownError';
}

/**
 * An error that becomes an `{ ok: 0, errmsg, code, codeName }` reply.
 * `extra` carries additional reply fields (e.g. `keyPattern`/`keyValue` for duplicate keys).
 */
export class CommandError extends Error {
  readonly code: number;
  readonly errorLabels: readonly string[];
  readonly extra: Document;

  constructor(code: number, message: string, options: { labels?: readonly string[]; extra?: Document } = {}) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
    this.errorLabels = options.labels ?? [];
    this.extra = options.extra ?? {};
  }

  /** The error as a command reply document. */
  toReply(): Document {
    const reply: Document = { ok: 0, errmsg: this.message, code: this.code, codeName: codeNameOf(this.code) };
    if (this.errorLabels.length > 0) reply.errorLabels = [...this.errorLabels];
    return { ...reply, ...this.extra };
  }

  /** The error as an entry of a write command's `writeErrors` array. */
  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

/** Thrown by the storage layer when a unique index would be violated. */
export class DuplicateKeyError extends CommandError {
  constructor(message: string, keyPattern: Document, keyValue: Document) {
    super(ErrorCodes.DuplicateKey, message, { extra: { keyPattern, keyValue } });
    this.name = 'DuplicateKeyError';
  }
}

/** A write touched a document locked by another transaction; the driver retries such transactions. */
export function writeConflict(): CommandError {
  return new CommandError(
    ErrorCodes.WriteConflict,
    'Write conflict during plan execution and yielding is disabled. :: Please retry your operation or multi-document transaction.',
    { labels: ['TransientTransactionError'] },
  );
}

/** Converts anything thrown by a handler (including mingo's plain Errors) into a CommandError. */
export function toCommandError(error: unknown): CommandError {
  if (error instanceof CommandError) return error;
  const message = error instanceof Error ? error.message : String(error);
  // mingo and bson throw plain Errors for malformed operators/values: report them as BadValue, like
  // the server reports an unparseable query, instead of letting them kill the connection.
  return new CommandError(ErrorCodes.BadValue, message || 'unknown error');
}
