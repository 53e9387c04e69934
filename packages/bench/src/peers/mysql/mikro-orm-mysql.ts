import { BigIntType, EntitySchema, raw } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/mysql';
import { DATABASE, locations } from '../../context.js';
import { departmentStats, MYSQL_LOCK, OutOfBounds, type Raise } from '../../raw/set-based-raw.js';
import type { SetBasedPeer } from '../peer.js';

class EmployeeSlice {
  id!: string;
  department!: string;
  salary!: number;
  version!: number;
  updatedAt!: Date;
}

const Employees = new EntitySchema<EmployeeSlice>({
  class: EmployeeSlice,
  tableName: 'employees',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    department: { type: 'string', length: 100 },
    salary: { type: new BigIntType('number') },
    version: { type: 'integer' },
    updatedAt: { type: 'Date', fieldName: 'updatedAt', columnType: 'datetime(3)' },
  } as never,
});

/** MikroORM 6 with its MySQL driver (mysql2; MariaDB speaks its protocol), as the PostgreSQL peer (B9 only). */
export async function openMikroOrmMysql(max: number): Promise<SetBasedPeer> {
  const l = locations().mysql;
  const orm = await MikroORM.init({
    entities: [Employees],
    dbName: DATABASE,
    host: l.host,
    port: l.port,
    user: l.user,
    ...(l.password ? { password: l.password } : {}),
    pool: { min: 0, max },
    // berth stores DATETIME in UTC.
    timezone: '+00:00',
    discovery: { warnWhenNoEntities: false },
    debug: false,
    allowGlobalContext: false,
  });
  return {
    name: 'mikro-orm',
    async stats(department: string) {
      const row = await orm.em
        .fork()
        .createQueryBuilder(EmployeeSlice)
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
        const [locked] = await em.execute<{ outside: string }[]>(MYSQL_LOCK, [factor, min, max, department]);
        const outside = Number(locked!.outside);
        if (outside > 0) throw new OutOfBounds(outside);
        return em.nativeUpdate(
          EmployeeSlice,
          { department },
          {
            salary: raw('ROUND(salary * CAST(? AS DECIMAL(30,7)))', [factor]),
            version: raw('version + 1'),
            updatedAt: new Date(),
          },
        );
      });
    },
    close: () => orm.close(true),
  };
}
