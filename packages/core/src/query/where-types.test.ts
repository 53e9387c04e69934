import { describe, expect, expectTypeOf, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { belongsTo } from '../entity/relation-definitions.js';
import { normalizeWhere } from './normalize-where.js';
import type { FieldFilter, Where } from './where.js';

const Team = defineEntity('where_teams', { id: field.id(), name: field.string() });
const Shift = defineEntity('where_shifts', {
  id: field.id(),
  label: field.string(),
  nick: field.string().nullable(),
  status: field.enum(['open', 'closed']),
  day: field.date(),
  at: field.datetime(),
  seq: field.integer(),
  team: belongsTo(() => Team),
});
const Counter = defineEntity('where_counters', {
  id: field.id({ strategy: 'increment' }),
  n: field.integer(),
});
type W = Where<typeof Shift>;

// The type checks are never called: tsc (the typecheck script) judges them. The last case is the run time
// the types follow: what they refuse, normalizeWhere refuses too.
describe('where types', () => {
  it('accepts the text operators on string fields, string ids and foreign keys', () => {
    const typed = () => {
      expectTypeOf<{ label: { contains: 'a'; mode: 'insensitive' } }>().toExtend<W>();
      expectTypeOf<{ nick: { startsWith: 'a' } }>().toExtend<W>();
      expectTypeOf<{ id: { startsWith: '0190' } }>().toExtend<W>();
      expectTypeOf<{ teamId: { endsWith: 'x' } }>().toExtend<W>();
      expectTypeOf<{ label: { not: { contains: 'a' } } }>().toExtend<W>();
      // A hand-written FieldFilter without a kind keeps them open, as before.
      expectTypeOf<{ contains: 'a' }>().toExtend<FieldFilter<string>>();
    };
    void typed;
  });

  it('refuses them on enum, date-only, datetime, integer and generated-id fields, as the query does', () => {
    const refused = () => {
      const where = (w: W) => w;
      // @ts-expect-error contains on an enum field
      where({ status: { contains: 'op' } });
      // @ts-expect-error startsWith on an enum field
      where({ status: { startsWith: 'o' } });
      // @ts-expect-error mode on an enum field
      where({ status: { mode: 'insensitive' } });
      // @ts-expect-error endsWith on a date-only field
      where({ day: { endsWith: '-01' } });
      // @ts-expect-error contains on a date-only field, inside not
      where({ day: { not: { contains: '2024' } } });
      // @ts-expect-error contains on a datetime field
      where({ at: { contains: '2024' } });
      // @ts-expect-error startsWith on an integer field
      where({ seq: { startsWith: '1' } });
      const counter = (w: Where<typeof Counter>) => w;
      // @ts-expect-error startsWith on a database-generated (integer) id
      counter({ id: { startsWith: '1' } });
      // The other operators stay: equality, ranges and lists on enum and date-only fields.
      where({ status: { in: ['open'] }, day: { gte: '2024-01-01' } });
    };
    void refused;
  });

  it('matches the run time: the refused text operators are refused by normalizeWhere, the accepted ones pass', () => {
    const refused: unknown[] = [
      { status: { contains: 'op' } },
      { status: { startsWith: 'o', mode: 'insensitive' } },
      { day: { endsWith: '-01' } },
      { at: { contains: '2024' } },
      { seq: { startsWith: '1' } },
    ];
    for (const where of refused) expect(() => normalizeWhere(Shift, where)).toThrow(ValidationError);
    expect(() => normalizeWhere(Counter, { id: { startsWith: '1' } })).toThrow(ValidationError);
    for (const where of [
      { label: { contains: 'a' } },
      { id: { startsWith: '0190' } },
      { teamId: { endsWith: 'x' } },
    ])
      expect(normalizeWhere(Shift, where)).toMatchObject({ type: 'like' });
  });
});
