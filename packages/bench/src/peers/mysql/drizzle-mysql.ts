import { avg, count, eq, sql, sum } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/mysql2';
import { bigint, datetime, int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import type { ResultSetHeader } from 'mysql2';
import { rawMysqlPool } from '../../context.js';
import { departmentStats, OutOfBounds, type Raise } from '../../raw/set-based-raw.js';
import type { SetBasedPeer } from '../peer.js';

const employees = mysqlTable('employees', {
  id: varchar('id', { length: 36 }).primaryKey(),
  department: varchar('department', { length: 100 }).notNull(),
  salary: bigint('salary', { mode: 'number' }).notNull(),
  version: int('version').notNull(),
  updatedAt: datetime('updatedAt', { fsp: 3, mode: 'date' }).notNull(),
});

/** Drizzle over mysql2, with a mysql2 pool of the same size and settings as berth's (B9 only). */
export function openDrizzleMysql(max: number): SetBasedPeer {
  const pool = rawMysqlPool(max);
  const db = drizzle(pool, { mode: 'default' });
  return {
    name: 'drizzle',
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
        // Drizzle's `for('update')` cannot sit under an aggregate: the locking count (raw's `MYSQL_LOCK`)
        // goes through its sql template, which binds every value.
        const [locked] = await tx.execute(
          sql`SELECT COALESCE(SUM(CASE WHEN ROUND(${employees.salary} * CAST(${factor} AS DECIMAL(30,7))) BETWEEN ${min} AND ${max} THEN 0 ELSE 1 END), 0) AS outside FROM ${employees} WHERE ${employees.department} = ${department} FOR UPDATE`,
        );
        const outside = Number((locked as unknown as { outside: string }[])[0]!.outside);
        if (outside > 0) throw new OutOfBounds(outside);
        const [result] = await tx
          .update(employees)
          .set({
            salary: sql`ROUND(${employees.salary} * CAST(${factor} AS DECIMAL(30,7)))`,
            version: sql`${employees.version} + 1`,
            updatedAt: new Date(),
          })
          .where(eq(employees.department, department));
        return (result as ResultSetHeader).affectedRows;
      });
    },
    close: () => pool.end(),
  };
}
