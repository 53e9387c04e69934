import { defineEntity, field } from '@berth/core';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { type BackendName, DATABASE, locations, pgUrl } from '../context.js';

/**
 * B6's latency-bound query: a find by id on `slow_employees`, a view over `employees` that sleeps 2 ms on
 * the server once per statement. berth reads it like any table (an entity named after the view).
 */
export const SlowEmployee = defineEntity('slow_employees', {
  id: field.id(),
  name: field.string({ min: 1, max: 200 }),
  email: field.string({ min: 3, max: 254 }),
  department: field.string({ min: 1, max: 100 }),
  salary: field.integer({ min: 0, max: 1_000_000_000 }),
  active: field.boolean().default(true),
  hiredAt: field.datetime(),
  /** The employees table's optional manager (apps/api's relation), which the view's `e.*` carries too. */
  managerId: field.string({ max: 36 }).nullable(),
  version: field.version(),
  createdAt: field.createdAt(),
  updatedAt: field.updatedAt(),
});

export const SLEEP_MS = 2;

export async function createSlowView(backend: BackendName): Promise<void> {
  if (backend === 'postgres') {
    const client = new pg.Client({ connectionString: pgUrl() });
    await client.connect();
    try {
      // The volatile sleep in its own subquery is not pulled up: it runs once per statement.
      await client.query(
        `CREATE OR REPLACE VIEW slow_employees AS SELECT e.* FROM employees e CROSS JOIN (SELECT pg_sleep(${SLEEP_MS / 1000})) AS s`,
      );
      await client.query('ANALYZE');
    } finally {
      await client.end();
    }
    return;
  }
  const conn = await mysql.createConnection({ ...locations().mysql, database: DATABASE });
  try {
    // Merged into the outer query, the condition runs once per row the id lookup finds: once.
    await conn.query(
      `CREATE OR REPLACE ALGORITHM = MERGE VIEW slow_employees AS SELECT e.* FROM employees e WHERE SLEEP(${SLEEP_MS / 1000}) = 0`,
    );
    await conn.query('ANALYZE TABLE employees');
  } finally {
    await conn.end();
  }
}
