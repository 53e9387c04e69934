import { BigIntType, EntitySchema, raw } from '@mikro-orm/core';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { DATABASE, locations } from '../context.js';
import type { EmployeeRow, PageAfter } from '../raw/raw.js';
import { departmentStats, OutOfBounds, type Raise } from '../raw/set-based-raw.js';
import { LOCK_OUTSIDE, type Peer } from './peer.js';

/** `LOCK_OUTSIDE` with knex's `?` placeholders, as `em.execute` takes them. */
const LOCK_OUTSIDE_KNEX = LOCK_OUTSIDE.replace(/\$\d/g, '?');

class EmployeeEntity {
  id!: string;
  name!: string;
  email!: string;
  department!: string;
  salary!: number;
  active!: boolean;
  hiredAt!: Date;
  managerId!: string | null;
  version!: number;
  createdAt!: Date;
  updatedAt!: Date;
}
class BulkEntity extends EmployeeEntity {}

function schema<T extends EmployeeEntity>(cls: new () => T, tableName: string) {
  return new EntitySchema<T>({
    class: cls,
    tableName,
    properties: {
      id: { type: 'string', primary: true, length: 36 },
      name: { type: 'string', length: 200 },
      email: { type: 'string', length: 254 },
      department: { type: 'string', length: 100 },
      salary: { type: new BigIntType('number') },
      active: { type: 'boolean' },
      hiredAt: { type: 'Date', fieldName: 'hiredAt', columnType: 'timestamptz(3)' },
      managerId: { type: 'string', length: 36, nullable: true, fieldName: 'managerId' },
      version: { type: 'integer' },
      createdAt: { type: 'Date', fieldName: 'createdAt', columnType: 'timestamptz(3)' },
      updatedAt: { type: 'Date', fieldName: 'updatedAt', columnType: 'timestamptz(3)' },
    } as never,
  });
}

function plain(e: EmployeeEntity): EmployeeRow {
  return {
    id: e.id,
    name: e.name,
    email: e.email,
    department: e.department,
    salary: e.salary,
    active: e.active,
    hiredAt: e.hiredAt,
    managerId: e.managerId,
    version: e.version,
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
  };
}

/**
 * MikroORM 6 as its docs recommend: one `em.fork()` per request, `findOne` by primary key, `find` with a
 * filter, `em.create` + `flush()` for inserts (batched by its unit of work). Pool of the same size.
 */
export async function openMikroOrm(max: number): Promise<Peer> {
  const orm = await initMikroOrm(
    [schema(EmployeeEntity, 'employees'), schema(BulkEntity, 'bench_bulk')],
    max,
  );
  return {
    name: 'mikro-orm',
    async findById(id: string) {
      const em = orm.em.fork();
      const e = await em.findOne(EmployeeEntity, { id });
      return e ? plain(e) : null;
    },
    async page(after: PageAfter) {
      const em = orm.em.fork();
      const rows = await em.find(
        EmployeeEntity,
        {
          department: after.department,
          active: after.active,
          $or: [{ salary: { $lt: after.salary } }, { salary: after.salary, id: { $gt: after.id } }],
        },
        { orderBy: { salary: 'desc', id: 'asc' }, limit: 20 },
      );
      return rows.map(plain);
    },
    async bulkInsert(rows: readonly EmployeeRow[]) {
      const em = orm.em.fork();
      for (const r of rows) em.create(BulkEntity, { ...r });
      await em.flush();
    },
    async stats(department: string) {
      const em = orm.em.fork();
      const row = await em
        .createQueryBuilder(EmployeeEntity)
        .select([
          'department',
          raw('count(*) as count'),
          raw('sum(salary) as sum'),
          raw('avg(salary) as avg'),
        ])
        .where({ department })
        .groupBy('department')
        .execute('get', false);
      return departmentStats(row as unknown as Record<string, unknown>);
    },
    async raise({ department, factor, min, max }: Raise) {
      return orm.em.fork().transactional(async (em) => {
        const [locked] = await em.execute<{ outside: string }[]>(LOCK_OUTSIDE_KNEX, [
          factor,
          min,
          max,
          department,
        ]);
        const outside = Number(locked!.outside);
        if (outside > 0) throw new OutOfBounds(outside);
        return em.nativeUpdate(
          EmployeeEntity,
          { department },
          {
            salary: raw('round(salary * ?::numeric)', [factor]),
            version: raw('version + 1'),
            updatedAt: new Date(),
          },
        );
      });
    },
    close: () => orm.close(true),
  };
}

/** MikroORM on the bench's PostgreSQL database with `entities`, a pool of `max`, as every MikroORM peer opens it. */
export function initMikroOrm(entities: NonNullable<Options['entities']>, max: number): Promise<MikroORM> {
  const l = locations().postgres;
  return MikroORM.init({
    entities,
    dbName: DATABASE,
    host: l.host,
    port: l.port,
    user: l.user,
    ...(l.password ? { password: l.password } : {}),
    pool: { min: 0, max },
    discovery: { warnWhenNoEntities: false },
    debug: false,
    allowGlobalContext: false,
  });
}
