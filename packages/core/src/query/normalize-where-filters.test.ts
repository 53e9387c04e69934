import { describe, expect, it } from 'vitest';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Condition } from './condition.js';
import { normalizeWhere } from './normalize-where.js';

const E = defineEntity('people', {
  id: field.id(),
  name: field.string({ max: 50 }),
  salary: field.integer(),
  hiredAt: field.datetime(),
  nick: field.string().nullable(),
  bonus: field.integer().nullable(),
});

const n = (where: unknown) => normalizeWhere(E, where);
const cmp = (field: string, op: string, value: unknown): Condition =>
  ({ type: 'compare', field, op, value }) as Condition;
const notNull = (field: string): Condition => ({ type: 'null', field, isNull: false });

function refusal(where: unknown, message: string | RegExp): void {
  expect(() => n(where)).toThrow(ValidationError);
  expect(() => n(where)).toThrow(message);
}

describe('endsWith and case-insensitive matching', () => {
  it('produces an endsWith like', () => {
    expect(n({ name: { endsWith: 'son' } })).toEqual({
      type: 'like',
      field: 'name',
      mode: 'endsWith',
      value: 'son',
    });
  });

  it('marks every like of the filter case-insensitive with mode: insensitive', () => {
    expect(n({ name: { contains: 'ad', endsWith: 'A', mode: 'insensitive' } })).toEqual({
      type: 'and',
      conditions: [
        { type: 'like', field: 'name', mode: 'contains', value: 'ad', caseInsensitive: true },
        { type: 'like', field: 'name', mode: 'endsWith', value: 'A', caseInsensitive: true },
      ],
    });
    expect(n({ name: { startsWith: 'a', mode: 'sensitive' } })).toEqual({
      type: 'like',
      field: 'name',
      mode: 'startsWith',
      value: 'a',
    });
  });

  it('keeps nulls out of a case-insensitive match on a nullable field', () => {
    expect(n({ nick: { contains: 'x', mode: 'insensitive' } })).toEqual({
      type: 'and',
      conditions: [
        notNull('nick'),
        { type: 'like', field: 'nick', mode: 'contains', value: 'x', caseInsensitive: true },
      ],
    });
  });

  it('refuses a mode without a text operator, an unknown mode, endsWith on a non-string field', () => {
    refusal({ name: { mode: 'insensitive' } }, /applies to contains, startsWith and endsWith only/);
    refusal({ name: { eq: 'a', mode: 'insensitive' } }, /applies to contains/);
    refusal({ name: { contains: 'a', mode: 'INSENSITIVE' } }, /"sensitive" or "insensitive"/);
    refusal({ name: { contains: 'a', mode: true } }, /"sensitive" or "insensitive"/);
    refusal({ salary: { endsWith: '1' } }, /string fields only/);
    refusal({ name: { endsWith: 5 } }, /must be a string/);
  });
});

describe('between', () => {
  it('is gte low and lte high', () => {
    expect(n({ salary: { between: [10, 20] } })).toEqual({
      type: 'and',
      conditions: [cmp('salary', 'gte', 10), cmp('salary', 'lte', 20)],
    });
    const low = new Date('2024-01-01T00:00:00Z');
    const high = new Date('2024-02-01T00:00:00Z');
    expect(n({ hiredAt: { between: [low, high] } })).toEqual({
      type: 'and',
      conditions: [cmp('hiredAt', 'gte', low), cmp('hiredAt', 'lte', high)],
    });
  });

  it('never matches nulls', () => {
    expect(n({ bonus: { between: [1, 2] } })).toEqual({
      type: 'and',
      conditions: [notNull('bonus'), cmp('bonus', 'gte', 1), notNull('bonus'), cmp('bonus', 'lte', 2)],
    });
  });

  it('refuses anything but a pair of values of the field type', () => {
    refusal({ salary: { between: 5 } }, /takes \[low, high\]/);
    refusal({ salary: { between: [1] } }, /takes \[low, high\]/);
    refusal({ salary: { between: [1, 2, 3] } }, /takes \[low, high\]/);
    refusal({ salary: { between: ['1', 2] } }, /invalid filter value/);
    refusal({ salary: { between: [1, null] } }, /cannot compare with null/);
  });
});

describe('not on a field', () => {
  it('negates a value or an inner filter', () => {
    expect(n({ name: { not: 'a' } })).toEqual({ type: 'not', condition: cmp('name', 'eq', 'a') });
    expect(n({ name: { not: { contains: 'x', mode: 'insensitive' } } })).toEqual({
      type: 'not',
      condition: { type: 'like', field: 'name', mode: 'contains', value: 'x', caseInsensitive: true },
    });
    expect(n({ salary: { gt: 1, not: { between: [5, 9] } } })).toEqual({
      type: 'and',
      conditions: [
        cmp('salary', 'gt', 1),
        {
          type: 'not',
          condition: { type: 'and', conditions: [cmp('salary', 'gte', 5), cmp('salary', 'lte', 9)] },
        },
      ],
    });
  });

  it('negates the two-valued expansion, so the negation of a comparison on a nullable field matches nulls', () => {
    expect(n({ bonus: { not: { gt: 3 } } })).toEqual({
      type: 'not',
      condition: { type: 'and', conditions: [notNull('bonus'), cmp('bonus', 'gt', 3)] },
    });
    expect(n({ bonus: { not: null } })).toEqual({
      type: 'not',
      condition: { type: 'null', field: 'bonus', isNull: true },
    });
  });

  it('folds a negated literal', () => {
    expect(n({ salary: { not: { in: [] } } })).toEqual({ type: 'literal', value: true });
  });

  it('validates the inner filter and bounds its depth', () => {
    refusal({ name: { not: { bogus: 1 } } }, /unknown filter operator "bogus"/);
    refusal({ name: { not: {} } }, /empty filter/);
    let deep: unknown = { eq: 'a' };
    for (let i = 0; i < 20; i++) deep = { not: deep };
    refusal({ name: deep }, /nested deeper/);
  });
});
