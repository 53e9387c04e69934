import { normalizeAggregate } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { compileAggregate } from './compile-aggregate.js';

describe('compileAggregate', () => {
  const command = normalizeAggregate(Employee, {
    where: { active: true },
    groupBy: ['name'],
    count: true,
    sum: ['salary'],
    avg: ['salary'],
    max: ['hiredAt'],
    having: { count: { gte: 2 }, max: { hiredAt: { lt: new Date('2024-01-01T00:00:00Z') } } },
    orderBy: '-sum.salary',
    limit: 5,
  });

  it('writes one GROUP BY statement with HAVING on the expressions and ORDER BY on the output names', () => {
    const { sql, params } = compileAggregate(postgresDialect, command);
    expect(sql).toBe(
      'SELECT "name", COUNT(*) AS "agg_0", COALESCE(SUM("salary"), 0) AS "agg_1", ' +
        'CAST(AVG("salary") AS double precision) AS "agg_2", MAX("hiredAt") AS "agg_3" FROM "employees" ' +
        'WHERE "active" = $1 GROUP BY "name" HAVING COUNT(*) >= $2 AND MAX("hiredAt") < $3 ' +
        'ORDER BY "agg_1" DESC, "name" ASC LIMIT 5',
    );
    expect(params).toEqual([true, 2, new Date('2024-01-01T00:00:00Z')]);
  });

  it('averages in doubles on MySQL too, and binds booleans as integers', () => {
    const { sql, params } = compileAggregate(mysqlDialect, command);
    expect(sql).toContain('AVG(CAST(`salary` AS double)) AS `agg_2`');
    expect(params[0]).toBe(1);
  });

  it('has no GROUP BY without group fields', () => {
    const { sql } = compileAggregate(postgresDialect, normalizeAggregate(Employee, { count: true }));
    expect(sql).toBe('SELECT COUNT(*) AS "agg_0" FROM "employees"');
  });
});
