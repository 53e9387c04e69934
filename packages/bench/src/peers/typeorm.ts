import { DataSource, EntitySchema } from 'typeorm';
import { DATABASE, locations } from '../context.js';
import type { EmployeeRow, PageAfter } from '../raw/raw.js';
import { departmentStats, OutOfBounds, type Raise } from '../raw/set-based-raw.js';
import { BULK_CHUNK, LOCK_OUTSIDE, type Peer, pick } from './peer.js';

const toNumber = { from: (v: string | null) => (v === null ? v : Number(v)), to: (v: number) => v };

function schema(name: string, tableName: string) {
  return new EntitySchema<EmployeeRow>({
    name,
    tableName,
    columns: {
      id: { type: 'varchar', length: 36, primary: true },
      name: { type: 'varchar', length: 200 },
      email: { type: 'varchar', length: 254 },
      department: { type: 'varchar', length: 100 },
      salary: { type: 'bigint', transformer: toNumber },
      active: { type: 'boolean' },
      hiredAt: { type: 'timestamptz', precision: 3 },
      managerId: { type: 'varchar', length: 36, nullable: true },
      version: { type: 'integer' },
      createdAt: { type: 'timestamptz', precision: 3 },
      updatedAt: { type: 'timestamptz', precision: 3 },
    },
  });
}
const Employees = schema('Employee', 'employees');
const Bulk = schema('BulkRow', 'bench_bulk');

/** TypeORM with its repositories (`findOneBy`, `find`) and the query builder for bulk inserts. */
export async function openTypeOrm(max: number): Promise<Peer> {
  const l = locations().postgres;
  const ds = new DataSource({
    type: 'postgres',
    host: l.host,
    port: l.port,
    username: l.user,
    ...(l.password ? { password: l.password } : {}),
    database: DATABASE,
    entities: [Employees, Bulk],
    poolSize: max,
    synchronize: false,
    logging: false,
  });
  await ds.initialize();
  const repo = ds.getRepository(Employees);
  return {
    name: 'typeorm',
    async findById(id: string) {
      const row = await repo.findOneBy({ id });
      return row ? pick(row as unknown as Record<string, unknown>) : null;
    },
    async page(after: PageAfter) {
      const rows = await repo
        .createQueryBuilder('e')
        .where('e.department = :department AND e.active = :active', after)
        .andWhere('(e.salary < :salary OR (e.salary = :salary AND e.id > :id))', after)
        .orderBy('e.salary', 'DESC')
        .addOrderBy('e.id', 'ASC')
        .limit(20)
        .getMany();
      return rows.map((r) => pick(r as unknown as Record<string, unknown>));
    },
    async bulkInsert(rows: readonly EmployeeRow[]) {
      await ds.transaction(async (manager) => {
        for (let start = 0; start < rows.length; start += BULK_CHUNK) {
          await manager
            .createQueryBuilder()
            .insert()
            .into(Bulk)
            .values(rows.slice(start, start + BULK_CHUNK) as EmployeeRow[])
            .updateEntity(false)
            .execute();
        }
      });
    },
    async stats(department: string) {
      const row = await repo
        .createQueryBuilder('e')
        .select('e.department', 'department')
        .addSelect('count(*)', 'count')
        .addSelect('sum(e.salary)', 'sum')
        .addSelect('avg(e.salary)', 'avg')
        .where('e.department = :department', { department })
        .groupBy('e.department')
        .getRawOne();
      return departmentStats(row);
    },
    async raise({ department, factor, min, max }: Raise) {
      return ds.transaction(async (manager) => {
        const locked = await manager.query(LOCK_OUTSIDE, [factor, min, max, department]);
        const outside = Number(locked[0].outside);
        if (outside > 0) throw new OutOfBounds(outside);
        const result = await manager
          .createQueryBuilder()
          .update(Employees)
          .set({
            salary: () => 'round(salary * :factor::numeric)',
            version: () => 'version + 1',
            updatedAt: new Date(),
          })
          .where('department = :department', { department, factor })
          .updateEntity(false)
          .execute();
        return result.affected ?? 0;
      });
    },
    close: () => ds.destroy(),
  };
}
