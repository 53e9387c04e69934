import { describe, expectTypeOf, it } from 'vitest';
import { type IdOf, type InsertOf, type PatchOf, type RowOf, defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import type { UpdateOf } from '../entity/update-of.js';
import type { Repository } from '../repository/repository.js';

const ByUuid = defineEntity('by_uuid', { id: field.id(), name: field.string() });
const BySupplied = defineEntity('by_supplied', {
  id: field.id({ strategy: 'supplied', max: 64 }),
  name: field.string(),
});
const ByIncrement = defineEntity('by_increment', {
  id: field.id({ strategy: 'increment' }),
  name: field.string(),
  version: field.version(),
});
declare const uuids: Repository<typeof ByUuid>;
declare const supplied: Repository<typeof BySupplied>;
declare const increments: Repository<typeof ByIncrement>;
/** Type-checks calls without running them (the repositories exist only for the compiler). */
const typeOnly = (_calls: () => void): void => undefined;

describe('id strategy types', () => {
  it('a UUIDv7 id is a string berth makes: not part of an insert', () => {
    expectTypeOf<IdOf<typeof ByUuid>>().toEqualTypeOf<string>();
    expectTypeOf<InsertOf<typeof ByUuid>>().toEqualTypeOf<{ name: string }>();
  });

  it('a supplied id is a string the insert requires, and no patch may hold', () => {
    expectTypeOf<IdOf<typeof BySupplied>>().toEqualTypeOf<string>();
    expectTypeOf<RowOf<typeof BySupplied>>().toEqualTypeOf<{ id: string; name: string }>();
    expectTypeOf<InsertOf<typeof BySupplied>>().toEqualTypeOf<{ id: string; name: string }>();
    expectTypeOf<PatchOf<typeof BySupplied>>().toEqualTypeOf<{ name?: string }>();
    expectTypeOf<keyof UpdateOf<typeof BySupplied>>().toEqualTypeOf<'name'>();
    typeOnly(() => {
      void supplied.insert({ id: 'a', name: 'x' });
      // @ts-expect-error the supplied id is required
      void supplied.insert({ name: 'x' });
      // @ts-expect-error an id is never changed
      void supplied.update('a', { id: 'b' });
    });
  });

  it('a database-generated id is a number: never in an insert, and reads take a number', () => {
    expectTypeOf<IdOf<typeof ByIncrement>>().toEqualTypeOf<number>();
    expectTypeOf<RowOf<typeof ByIncrement>>().toEqualTypeOf<{ id: number; name: string; version: number }>();
    expectTypeOf<InsertOf<typeof ByIncrement>>().toEqualTypeOf<{ name: string }>();
    typeOnly(() => {
      expectTypeOf(increments.insert({ name: 'x' }))
        .resolves.toHaveProperty('id')
        .toEqualTypeOf<number>();
      // @ts-expect-error the database makes the id
      void increments.insert({ id: 1, name: 'x' });
      void increments.findById(1);
      void increments.update(1, { name: 'y' });
      void increments.delete(1);
      // @ts-expect-error a generated id is a number
      void increments.findById('1');
      // @ts-expect-error a UUID id is a string
      void uuids.findById(1);
    });
  });

  it('the options are typed per strategy', () => {
    typeOnly(() => {
      // @ts-expect-error length bounds are for supplied ids only
      field.id({ strategy: 'increment', max: 10 });
      // @ts-expect-error no such strategy
      field.id({ strategy: 'random' });
    });
  });
});
