import { and, asc, avg, count, desc, eq, gt, lt, or, sql, sum } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { bigint, boolean, integer, pgTable, timestamp, varchar } from 'drizzle-orm/pg-core';
import { rawPgPool } from '../context.js';
import type { EmployeeRow, PageAfter } from '../raw/raw.js';
import { departmentStats, OutOfBounds, type Raise } from '../raw/set-based-raw.js';
import { BULK_CHUNK, type Peer } from './peer.js';

const columns = () => ({
  id: varchar('id', { length: 36 }).primaryKey(),
  name: varchar('name', { length: 200 }).notNull(),
  email: varchar('email', { length: 254 }).notNull(),
  department: varchar('department', { length: 100 }).notNull(),
  salary: bigint('salary', { mode: 'number' }).notNull(),
  active: boolean('active').notNull(),
  hiredAt: timestamp('hiredAt', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
  managerId: varchar('managerId', { length: 36 }),
  version: integer('version').notNull(),
  createdAt: timestamp('createdAt', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
  updatedAt: timestamp('updatedAt', { withTimezone: true, precision: 3, mode: 'date' }).notNull(),
});
const employees = pgTable('employees', columns());
const bulk = pgTable('bench_bulk', columns());

/** Drizzle over node-postgres, with a `pg.Pool` of the same size and settings as berth's. */
export function openDrizzle(max: number): Peer {
  const pool = rawPgPool(max);
  pool.on('error', () => undefined);
  const db = drizzle({ client: pool });
  return {
    name: 'drizzle',
    async findById(id: string) {
      const rows = await db.select().from(employees).where(eq(employees.id, id)).limit(1);
      return (rows[0] as EmployeeRow | undefined) ?? null;
    },
    async page(after: PageAfter) {
      return (await db
        .select()
        .from(employees)
        .where(
          and(
            eq(employees.department, after.department),
            eq(employees.active, after.active),
            or(
              lt(employees.salary, after.salary),
              and(eq(employees.salary, after.salary), gt(employees.id, after.id)),
            ),
          ),
        )
        .orderBy(desc(employees.salary), asc(employees.id))
        .limit(20)) as EmployeeRow[];
    },
    async bulkInsert(rows: readonly EmployeeRow[]) {
      await db.transaction(async (tx) => {
        for (let start = 0; start < rows.length; start += BULK_CHUNK) {
          await tx.insert(bulk).values(rows.slice(start, start + BULK_CHUNK) as EmployeeRow[]);
        }
      });
    },
    async stats(department: string) {
      const [row] = await db
        .select({
          department: employees.department,
          count: count(),
          sum: sum(employees.salary),
          avg: avg(employees.salary),
        })
        .from(employees)
        .where(eq(employees.department, department))
        .groupBy(employees.department);
      return departmentStats(row!);
    },
    async raise({ department, factor, min, max }: Raise) {
      return db.transaction(async (tx) => {
        // Drizzle's \`for('update')\` cannot sit under an aggregate; its sql template binds every value.
        const locked = await tx.execute<{ outside: string }>(
          sql`SELECT count(*) FILTER (WHERE NOT inside) AS outside FROM (SELECT round(${employees.salary} * ${factor}::numeric) BETWEEN ${min} AND ${max} AS inside FROM ${employees} WHERE ${employees.department} = ${department} FOR UPDATE) locked`,
        );
        const outside = Number(locked.rows[0]!.outside);
        if (outside > 0) throw new OutOfBounds(outside);
        const result = await tx
          .update(employees)
          .set({
            salary: sql`round(${employees.salary} * ${factor}::numeric)`,
            version: sql`${employees.version} + 1`,
            updatedAt: new Date(),
          })
          .where(eq(employees.department, department));
        return result.rowCount ?? 0;
      });
    },
    close: () => pool.end(),
  };
}
