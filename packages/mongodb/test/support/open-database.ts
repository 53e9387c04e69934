import { Database, type DriverOptions, type Entity, type PoolOptions } from '@berth/core';
import type { MongoTestServer } from '@berth/mongo-test-server';
import { afterEach } from 'vitest';
import { MongoDriver } from '../../src/index.js';
import { databaseUrl } from './test-server.js';

/** Opens databases on a test server and closes them after each test, even when it fails. */
export function useDatabases(server: () => MongoTestServer) {
  const open: Database[] = [];
  afterEach(async () => {
    await Promise.allSettled(open.splice(0).map((db) => db.close(500)));
  });
  return async (
    entities: readonly Entity[],
    pool: PoolOptions & DriverOptions = {},
  ): Promise<{ db: Database; driver: MongoDriver }> => {
    const driver = new MongoDriver(databaseUrl(server()), pool);
    const db = await Database.open(driver, { entities, pool });
    open.push(db);
    await db.ensureSchema();
    return { db, driver };
  };
}
