import { AsyncLocalStorage } from 'node:async_hooks';
import { ValidationError } from '../errors/validation-error.js';
import { laterPosition, type PositionOrder } from '../driver/replication-support.js';

/**
 * The replication position a reader must see: the primary's position after its last write, or the one a
 * session token carried in. Reads with a position go to a replica only once it has replayed that far.
 */
export class CausalSession {
  #position: string | undefined;
  #pinnedToPrimary = false;

  constructor(
    readonly replication: PositionOrder,
    position?: string,
  ) {
    this.#position = position;
  }

  get position(): string | undefined {
    return this.#position;
  }

  /** True after a write whose position could not be read: reads go to the primary until the next one. */
  get pinnedToPrimary(): boolean {
    return this.#pinnedToPrimary;
  }

  /**
   * Moves the position forward (never back: a slower write's older position must not lower it; positions
   * of several replication domains are merged), and ends a pin to the primary: this position covers the
   * write whose position was lost.
   */
  advance(position: string): void {
    this.#position =
      this.#position === undefined ? position : laterPosition(this.replication, this.#position, position);
    this.#pinnedToPrimary = false;
  }

  /** Sends this session's reads to the primary until the next `advance`. */
  pinToPrimary(): void {
    this.#pinnedToPrimary = true;
  }
}

/** The session token's form: `<backend>.<position>`, e.g. `postgres.0/16B3748`. */
const TOKEN_SEPARATOR = '.';

/** Encodes a session's position as a token for a client to carry (`undefined` before any write). */
export function encodeSessionToken(backend: string, session: CausalSession): string | undefined {
  return session.position === undefined ? undefined : `${backend}${TOKEN_SEPARATOR}${session.position}`;
}

/**
 * Decodes a token made by `encodeSessionToken` on the same kind of backend; `ValidationError` when it is
 * malformed or names another backend (a client must never make berth read older data silently).
 */
export function decodeSessionToken(backend: string, replication: PositionOrder, token: string): string {
  const prefix = `${backend}${TOKEN_SEPARATOR}`;
  const position =
    typeof token === 'string' && token.length <= 200 && token.startsWith(prefix)
      ? replication.parse(token.slice(prefix.length))
      : undefined;
  if (position === undefined) throw new ValidationError('invalid session token');
  return position;
}

/** Where the current async context's causal session lives (`Database.withSession`). */
export const causalSessions = new AsyncLocalStorage<CausalSession>();
