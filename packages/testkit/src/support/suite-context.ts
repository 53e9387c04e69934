import {
  type Capabilities,
  type DatabaseOptions,
  type Database,
  type DriverOptions,
  type Entity,
  MATCH_ALL,
  type PoolOptions,
  type RowOf,
} from '@berth/core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { ConformanceTarget } from '../conformance-target.js';
import { normalizeRawRow } from './normalize-raw-row.js';

export type OpenOptions = {
  entities?: readonly Entity[];
  pool?: PoolOptions & DriverOptions;
  queryEvents?: DatabaseOptions['queryEvents'];
  logQueries?: DatabaseOptions['logQueries'];
};

/** How long closing a test's database may wait for work a failed test left in flight. */
const CLOSE_TIMEOUT_MS = 1_000;

/**
 * What every group of cases shares: the target, the backend's capabilities (read once, before the cases
 * are registered), databases that are always closed, and raw read-back normalized to berth's form.
 */
export class SuiteContext {
  readonly #testDatabases: Database[] = [];

  constructor(
    readonly target: ConformanceTarget,
    readonly capabilities: Capabilities,
    readonly entities: readonly Entity[],
  ) {
    afterEach(async () => {
      const open = this.#testDatabases.splice(0);
      await Promise.allSettled(open.map((db) => db.close(CLOSE_TIMEOUT_MS)));
    });
  }

  /** Opens a database whose schema exists, closed after the current test. */
  async open(options: OpenOptions = {}): Promise<Database> {
    const db = await this.#open(options);
    this.#testDatabases.push(db);
    return db;
  }

  async #open(options: OpenOptions): Promise<Database> {
    const entities = options.entities ?? this.entities;
    const db = await this.target.open({
      entities,
      pool: options.pool,
      ...(options.queryEvents ? { queryEvents: options.queryEvents } : {}),
      ...(options.logQueries ? { logQueries: options.logQueries } : {}),
    });
    try {
      await db.ensureSchema(entities);
    } catch (error) {
      await db.close(CLOSE_TIMEOUT_MS);
      throw error;
    }
    return db;
  }

  /** A database opened once for the enclosing `describe` (before its first case) and closed after its last. */
  shared(options: OpenOptions = {}): () => Database {
    let db: Database | undefined;
    beforeAll(async () => {
      db = await this.#open(options);
    });
    afterAll(async () => {
      await db?.close(CLOSE_TIMEOUT_MS);
      db = undefined;
    });
    return () => {
      if (!db) throw new Error('the shared database is only available inside cases');
      return db;
    };
  }

  /** Deletes every row of these entities through the driver's own delete command. */
  async clear(db: Database, ...entities: Entity[]): Promise<void> {
    const lease = await db.pool.acquire();
    try {
      for (const entity of entities) await lease.connection.delete({ entity, where: MATCH_ALL });
    } finally {
      await db.pool.release(lease);
    }
    // The deletes went through a bare lease, past the replica router, so no session learnt of them. With
    // replicas configured, one routed write (an empty ensureSchema) moves the handle's session to the
    // primary's position, so the next read does not meet the cleared rows on a replica still replaying.
    if (db.replicaStats() !== undefined) await db.ensureSchema([]);
  }

  /** Every row of `entity` as the database holds it (read raw, normalized by field kind), by id. */
  async raw<E extends Entity>(entity: E): Promise<RowOf<E>[]> {
    const rows = await this.target.readRaw(entity.name);
    return rows
      .map((row) => normalizeRawRow(entity, row) as RowOf<E>)
      .sort((a, b) => compareIds((a as { id: string }).id, (b as { id: string }).id));
  }

  /** The row with this id as the database holds it, or undefined. */
  async rawById<E extends Entity>(entity: E, id: string): Promise<RowOf<E> | undefined> {
    return (await this.raw(entity)).find((row) => (row as { id: string }).id === id);
  }
}

export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
