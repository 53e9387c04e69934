import { CompiledQuery, Kysely, MysqlDialect, sql } from 'kysely';
import { rawMysqlPool } from '../../context.js';
import { departmentStats, MYSQL_LOCK, OutOfBounds, type Raise } from '../../raw/set-based-raw.js';
import type { SetBasedPeer } from '../peer.js';

interface Schema {
  employees: {
    department: string;
    /** BIGINT: mysql2 hands it over as a number (as berth's driver options say). */
    salary: number;
    version: number;
    updatedAt: Date;
  };
}

/** Kysely 0.28 with its MysqlDialect over a mysql2 pool of the same size and settings as berth's (B9 only). */
export function openKyselyMysql(max: number): SetBasedPeer {
  const pool = rawMysqlPool(max);
  // Kysely's dialect takes mysql2's callback pool, which the promise pool wraps.
  const db = new Kysely<Schema>({ dialect: new MysqlDialect({ pool: pool.pool }) });
  return {
    name: 'kysely',
    async stats(department: string) {
      const row = await db
        .selectFrom('employees')
        .select((eb) => [
          'department',
          eb.fn.countAll().as('count'),
          eb.fn.sum('salary').as('sum'),
          eb.fn.avg('salary').as('avg'),
        ])
        .where('department', '=', department)
        .groupBy('department')
        .executeTakeFirstOrThrow();
      return departmentStats(row);
    },
    async raise({ department, factor, min, max }: Raise) {
      return db.transaction().execute(async (trx) => {
        const locked = await trx.executeQuery<{ outside: string }>(
          CompiledQuery.raw(MYSQL_LOCK, [factor, min, max, department]),
        );
        const outside = Number(locked.rows[0]!.outside);
        if (outside > 0) throw new OutOfBounds(outside);
        const result = await trx
          .updateTable('employees')
          .set((eb) => ({
            salary: sql<number>`ROUND(${eb.ref('salary')} * CAST(${factor} AS DECIMAL(30,7)))`,
            version: eb('version', '+', 1),
            updatedAt: new Date(),
          }))
          .where('department', '=', department)
          .executeTakeFirst();
        return Number(result.numUpdatedRows);
      });
    },
    close: () => db.destroy(),
  };
}
