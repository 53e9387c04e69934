import {
  Database,
  type DatabaseOptions,
  type Entity,
  type PoolEventName,
  type PoolOptions,
  defineEntity,
  field,
} from '@berth/core';
import { MysqlDriver } from '../../src/mysql-driver.js';
import type { MysqlDriverConfig } from '../../src/mysql-driver-config.js';
import { parseMysqlUrl } from '../../src/mysql-url.js';
import { TEST_URL } from './test-server.js';

/** Versioned rows with a unique field and every column kind the tests need. */
export const Employee = defineEntity('employees', {
  id: field.id(),
  email: field.string({ max: 100 }).unique(),
  name: field.string({ max: 100 }),
  salary: field.integer(),
  active: field.boolean().default(true),
  hiredAt: field.datetime(),
  profile: field.json().default(() => ({})),
  version: field.version(),
  createdAt: field.createdAt(),
  updatedAt: field.updatedAt(),
});

/** A MysqlDriver on the test database. */
export function testDriver(config: MysqlDriverConfig = {}): MysqlDriver {
  return new MysqlDriver({ ...parseMysqlUrl(TEST_URL), max: 3, ...config });
}

/** Every pool event, in order, as `name:connectionId[:reason]`. */
export interface EventLog {
  readonly events: string[];
  readonly errors: Error[];
}

/** Opens a Database over a test driver, recording pool events. */
export async function openTestDatabase(
  config: MysqlDriverConfig = {},
  pool: PoolOptions = {},
  entities: readonly Entity[] = [Employee],
): Promise<{ db: Database; driver: MysqlDriver; log: EventLog }> {
  const driver = testDriver(config);
  const options: DatabaseOptions = { entities, pool: { acquireTimeoutMs: 2_000, ...pool } };
  const db = await Database.open(driver, options);
  const log: EventLog = { events: [], errors: [] };
  const names: PoolEventName[] = ['create', 'destroy', 'error', 'timeout'];
  for (const name of names) {
    db.pool.on(name, (event) => {
      const e = event as { connectionId?: string; reason?: string; error?: Error };
      if (e.error) log.errors.push(e.error);
      log.events.push([name, e.connectionId, e.reason].filter(Boolean).join(':'));
    });
  }
  return { db, driver, log };
}

export function employee(i: number, extra: Record<string, unknown> = {}) {
  return {
    email: `e${i}@example.com`,
    name: `Employee ${i}`,
    salary: 1000 + i,
    hiredAt: new Date(Date.UTC(2024, 0, 1 + i, 12, 30, 15, 123)),
    ...extra,
  };
}

/** A complete stored row, for writing through a connection without the core. */
export function storedEmployee(id: string, i = 0) {
  const now = new Date();
  return { ...employee(i), id, active: true, profile: {}, version: 1, createdAt: now, updatedAt: now };
}
