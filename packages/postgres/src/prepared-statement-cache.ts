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
  /**
   * SQL text → statement name and when it was last used (a tick of `#clock`). A hit only stamps its entry:
   * it is on every statement's path, and moving the entry to the end of the map (a delete and a set) cost
   * more. The least recently used is found by a scan instead, only on eviction, which is rare and sends a
   * `DEALLOCATE` anyway.
   */
  readonly #entries = new Map<string, { readonly name: string; used: number }>();
  #clock = 0;

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
    return this.#entries.size;
  }

  /**
   * True when the connection holds `capacity` statements: the next new statement evicts the least recently
   * used (a `DEALLOCATE`).
   */
  get full(): boolean {
    return this.#entries.size >= this.#capacity;
  }

  /** The name of an already prepared statement, marked as just used; `undefined` when not prepared. */
  use(sql: string): string | undefined {
    const entry = this.#entries.get(sql);
    if (entry === undefined) return undefined;
    entry.used = ++this.#clock;
    return entry.name;
  }

  /** Records a statement the server now holds, as just used. */
  add(sql: string, name: string): void {
    this.#entries.set(sql, { name, used: ++this.#clock });
  }

  /** Forgets the least recently used statement and returns its name, for the caller to deallocate. */
  evict(): string | undefined {
    let oldest: string | undefined;
    let oldestUsed = Number.POSITIVE_INFINITY;
    for (const [sql, entry] of this.#entries) {
      if (entry.used < oldestUsed) {
        oldest = sql;
        oldestUsed = entry.used;
      }
    }
    if (oldest === undefined) return undefined;
    const { name } = this.#entries.get(oldest)!;
    this.#entries.delete(oldest);
    return name;
  }
}
