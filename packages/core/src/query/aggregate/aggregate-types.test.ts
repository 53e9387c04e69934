import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineEntity } from '../../entity/define-entity.js';
import { field } from '../../entity/field.js';
import { ValidationError } from '../../errors/validation-error.js';
import type { Repository } from '../../repository/repository.js';
import { normalizeAggregate } from './normalize-aggregate.js';

const Employee = defineEntity('employees', {
  id: field.id(),
  department: field.string(),
  salary: field.integer(),
  score: field.number(),
  active: field.boolean(),
  hiredAt: field.datetime(),
  bonus: field.integer().nullable(),
  meta: field.json(),
});
declare const repo: Repository<typeof Employee>;

describe('aggregate types', () => {
  it('types group keys as their fields, counts and sums as numbers, min/max of datetimes as Dates', () => {
    const typed = () => {
      expectTypeOf(
        repo.aggregate({ groupBy: ['department', 'active'], count: true, sum: ['salary'], avg: ['score'] }),
      ).resolves.toEqualTypeOf<
        Array<{
          department: string;
          active: boolean;
          count: number;
          sum: { salary: number };
          avg: { score: number | null };
        }>
      >();
      expectTypeOf(repo.aggregate({ min: ['hiredAt'], max: ['bonus', 'department'] })).resolves.toEqualTypeOf<
        Array<{ min: { hiredAt: Date | null }; max: { bonus: number | null; department: string | null } }>
      >();
      repo.aggregate({
        groupBy: ['department'],
        count: true,
        having: { count: { gte: 2 } },
        orderBy: '-count',
      });
      repo.aggregate({ sum: ['salary'], having: { sum: { salary: { gt: 1 } } }, orderBy: ['-sum.salary'] });
    };
    void typed;
  });

  it('refuses unknown fields and functions on fields of the wrong kind at compile time', () => {
    const refused = () => {
      // @ts-expect-error an unknown group field
      repo.aggregate({ groupBy: ['nope'], count: true });
      // @ts-expect-error sum of a string field
      repo.aggregate({ sum: ['department'] });
      // @ts-expect-error avg of a datetime field
      repo.aggregate({ avg: ['hiredAt'] });
      // @ts-expect-error min of a JSON field
      repo.aggregate({ min: ['meta'] });
      // @ts-expect-error having compares counts with numbers
      repo.aggregate({ count: true, having: { count: { gt: '1' } } });
      // @ts-expect-error an unknown sort key
      repo.aggregate({ count: true, orderBy: 'sum.department' });
    };
    void refused;
  });
});

describe('normalizeAggregate', () => {
  it('appends the non-nullable group fields to the sort, so the order is total', () => {
    const command = normalizeAggregate(Employee, {
      groupBy: ['department', 'bonus', 'active'],
      count: true,
      orderBy: '-count',
    });
    expect(command.orderBy).toEqual([
      { key: 'count', direction: 'desc' },
      { key: 'department', direction: 'asc' },
      { key: 'active', direction: 'asc' },
    ]);
    expect(command.aggregates).toEqual([{ key: 'count', fn: 'count' }]);
  });

  it('refuses a datetime having value that is not a Date, and duplicate fields', () => {
    expect(() =>
      normalizeAggregate(Employee, { min: ['hiredAt'], having: { min: { hiredAt: { gt: 5 } } } }),
    ).toThrow(ValidationError);
    expect(() => normalizeAggregate(Employee, { sum: ['salary', 'salary'] })).toThrow(/twice/);
    expect(() => normalizeAggregate(Employee, null)).toThrow(ValidationError);
  });
});
