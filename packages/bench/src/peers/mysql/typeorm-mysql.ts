import { DataSource, EntitySchema } from 'typeorm';
import { DATABASE, locations } from '../../context.js';
import { departmentStats, MYSQL_LOCK, OutOfBounds, type Raise } from '../../raw/set-based-raw.js';
import type { SetBasedPeer } from '../peer.js';

interface EmployeeSlice {
  id: string;
  department: string;
  salary: number;
  version: number;
  updatedAt: Date;
}

const Employees = new EntitySchema<EmployeeSlice>({
  name: 'Employee',
  tableName: 'employees',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    department: { type: 'varchar', length: 100 },
    salary: { type: 'bigint' },
    version: { type: 'int' },
    updatedAt: { type: 'datetime', precision: 3 },
  },
});

/** TypeORM's MariaDB driver (over mysql2), its query builder for both statements (B9 only). */
export async function openTypeOrmMysql(max: number): Promise<SetBasedPeer> {
  const l = locations().mysql;
  const ds = new DataSource({
    type: 'mariadb',
    host: l.host,
    port: l.port,
    username: l.user,
    ...(l.password ? { password: l.password } : {}),
    database: DATABASE,
    entities: [Employees],
    poolSize: max,
    // berth stores DATETIME in UTC.
    timezone: 'Z',
    synchronize: false,
    logging: false,
  });
  await ds.initialize();
  const repo = ds.getRepository(Employees);
  return {
    name: 'typeorm',
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
        const locked = await manager.query(MYSQL_LOCK, [factor, min, max, department]);
        const outside = Number(locked[0].outside);
        if (outside > 0) throw new OutOfBounds(outside);
        const result = await manager
          .createQueryBuilder()
          .update(Employees)
          .set({
            salary: () => 'ROUND(salary * CAST(:factor AS DECIMAL(30,7)))',
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
