import { CompiledQuery, type Generated, Kysely, PostgresDialect, sql } from 'kysely';
import { rawPgPool } from '../context.js';
import type { EmployeeRow, PageAfter } from '../raw/raw.js';
import { departmentStats, OutOfBounds, type Raise } from '../raw/set-based-raw.js';
import { BULK_CHUNK, LOCK_OUTSIDE, type Peer, pick } from './peer.js';

interface EmployeeTable {
  id: string;
  name: string;
  email: string;
  department: string;
  /** int8: pg hands it over as text. */
  salary: string | number;
  active: boolean;
  hiredAt: Date;
  managerId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

interface Schema {
  employees: EmployeeTable;
  bench_bulk: EmployeeTable & { _?: Generated<never> };
}

/** Kysely 0.28 with its PostgresDialect over a `pg.Pool` of the same size and settings as berth's. */
export function openKysely(max: number): Peer {
  const pool = rawPgPool(max);
  pool.on('error', () => undefined);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    name: 'kysely',
    async findById(id: string) {
      const row = await db.selectFrom('employees').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? pick(row as unknown as Record<string, unknown>) : null;
    },
    async page(after: PageAfter) {
      const rows = await db
        .selectFrom('employees')
        .selectAll()
        .where('department', '=', after.department)
        .where('active', '=', after.active)
        .where((eb) =>
          eb.or([
            eb('salary', '<', after.salary),
            eb.and([eb('salary', '=', after.salary), eb('id', '>', after.id)]),
          ]),
        )
        .orderBy('salary', 'desc')
        .orderBy('id', 'asc')
        .limit(20)
        .execute();
      return rows.map((r) => pick(r as unknown as Record<string, unknown>));
    },
    async bulkInsert(rows: readonly EmployeeRow[]) {
      await db.transaction().execute(async (trx) => {
        for (let start = 0; start < rows.length; start += BULK_CHUNK) {
          await trx
            .insertInto('bench_bulk')
            .values(rows.slice(start, start + BULK_CHUNK) as EmployeeRow[])
            .execute();
        }
      });
    },
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
          CompiledQuery.raw(LOCK_OUTSIDE, [factor, min, max, department]),
        );
        const outside = Number(locked.rows[0]!.outside);
        if (outside > 0) throw new OutOfBounds(outside);
        const result = await trx
          .updateTable('employees')
          .set((eb) => ({
            salary: sql<number>`round(${eb.ref('salary')} * ${factor}::numeric)`,
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
