import { createHash } from 'node:crypto';

/** Statements worth preparing: the compiler's DML and queries, not transaction control or DDL. */
const PREPARABLE = /^\s*(?:SELECT|INSERT|UPDATE|DELETE|WITH)\b/i;

/** The server-side name of a prepared statement: a hash of its SQL, so equal text shares one name. */
export function preparedStatementName(sql: string): string {
  return `berth_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
}

/**
 * The prepared statements of one connection, least recently used first, at most `capacity` of them.
 * It only keeps the books; the connection prepares (pg does, on first use of a name) and deallocates.
 */
export class PreparedStatementCache {
  readonly #capacity: number;
  /** SQL text → statement name, in order of last use. */
  readonly #names = new Map<string, string>();

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(
        `preparedStatementCacheSize must be a whole number of at least 1 (got ${capacity})`,
      );
    }
    this.#capacity = capacity;
  }

  /** True when statements like this one are prepared at all. */
  static preparable(sql: string): boolean {
    return PREPARABLE.test(sql);
  }

  /** How many named prepared statements this connection holds now. */
  get size(): number {
    return this.#names.size;
  }

  /**
   * True when the connection holds `capacity` statements: the next new statement evicts the least recently used (a
   * `DEALLOCATE`).
   */
  get full(): boolean {
    return this.#names.size >= this.#capacity;
  }

  /** The name of an already prepared statement, marked as just used; `undefined` when not prepared. */
  use(sql: string): string | undefined {
    const name = this.#names.get(sql);
    if (name === undefined) return undefined;
    this.#names.delete(sql);
    this.#names.set(sql, name);
    return name;
  }

  /** Records a statement the server now holds. */
  add(sql: string, name: string): void {
    this.#names.delete(sql);
    this.#names.set(sql, name);
  }

  /** Forgets the least recently used statement and returns its name, for the caller to deallocate. */
  evict(): string | undefined {
    const oldest = this.#names.entries().next();
    if (oldest.done) return undefined;
    this.#names.delete(oldest.value[0]);
    return oldest.value[1];
  }
}
