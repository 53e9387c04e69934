import { BerthError } from './berth-error.js';

/**
 * `connect()` could not make its first round trip to the database: the server is down or unreachable, the
 * database does not exist, or the credentials were refused. The message names the target (scheme, hosts,
 * database), never the user name or password; `cause` is the error the first round trip met.
 */
export class DatabaseUnreachableError extends BerthError {
  readonly code = 'DATABASE_UNREACHABLE';
  readonly retryable = true;

  constructor(
    /** The credential-free target, for example `postgres://127.0.0.1:5432/app`. */
    readonly target: string,
    cause: unknown,
  ) {
    super(`cannot connect to ${target}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
  }
}
