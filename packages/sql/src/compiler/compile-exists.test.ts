import { type Entity, belongsTo, defineEntity, field, normalizeWhere } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { compileFind } from './compile-find.js';
import { compileFindCached } from './compile-find-cached.js';

/** A self-reference: the case where the subquery's table is the outer table. */
const Staff = defineEntity('staff', {
  id: field.id(),
  name: field.string(),
  manager: belongsTo((): Entity => Staff, { nullable: true }),
});

describe('relation filters compile to correlated EXISTS', () => {
  it('aliases each level, so a self-reference names the outer row', () => {
    const where = normalizeWhere(Staff, { manager: { name: 'Ada', manager: { name: 'Grace' } } });
    const find = { entity: Staff, where, orderBy: [] };
    expect(compileFind(postgresDialect, find)).toEqual({
      sql:
        'SELECT "id", "name", "managerId" FROM "staff" WHERE EXISTS (SELECT 1 FROM "staff" "r1" WHERE "r1"."id" = "staff"."managerId" AND ' +
        '("name" = $1 AND EXISTS (SELECT 1 FROM "staff" "r2" WHERE "r2"."id" = "r1"."managerId" AND ("name" = $2))))',
      params: ['Ada', 'Grace'],
    });
    expect(compileFind(mysqlDialect, find).sql).toContain(
      'EXISTS (SELECT 1 FROM `staff` `r1` WHERE `r1`.`id` = `staff`.`managerId` AND',
    );
  });

  it('a to-one filter matching any row has no inner condition; not-exists is NOT (EXISTS ...)', () => {
    const where = normalizeWhere(Staff, { not: { manager: {} } });
    expect(compileFind(postgresDialect, { entity: Staff, where, orderBy: [] }).sql).toBe(
      'SELECT "id", "name", "managerId" FROM "staff" WHERE NOT (EXISTS (SELECT 1 FROM "staff" "r1" WHERE "r1"."id" = "staff"."managerId"))',
    );
  });

  it('is not served from the shape cache (the text depends on the target entity)', () => {
    const find = (name: string) => ({
      entity: Staff,
      where: normalizeWhere(Staff, { manager: { name } }),
      orderBy: [],
    });
    expect(compileFindCached(postgresDialect, find('a')).params).toEqual(['a']);
    expect(compileFindCached(postgresDialect, find('b'))).toEqual(compileFind(postgresDialect, find('b')));
  });
});
