import { describe, expectTypeOf, it } from 'vitest';
import { defineEntity } from '../entity/define-entity.js';
import type { RowOf } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import type { NumericOperator, RoundedMultiply, UpdateOf } from '../entity/update-of.js';
import type { Repository } from './repository.js';
import type { UpsertResult } from './upsert-args.js';

const Product = defineEntity(
  'products',
  {
    id: field.id(),
    sku: field.string().unique(),
    name: field.string(),
    stock: field.integer({ min: 0 }),
    price: field.number(),
    rating: field.number().nullable(),
    active: field.boolean(),
    payload: field.json<{ a: number }>(),
    version: field.version(),
    updatedAt: field.updatedAt(),
  },
  { indexes: [{ fields: ['name', 'active'], unique: true }] },
);
type Products = Repository<typeof Product>;
declare const products: Products;
/** Type-checks calls without running them (`products` exists only for the compiler). */
const typeOnly = (_calls: () => void): void => undefined;

describe('write types', () => {
  it('operators are accepted on non-nullable integer and number fields only', () =>
    typeOnly(() => {
      expectTypeOf<UpdateOf<typeof Product>['stock']>().toEqualTypeOf<
        number | NumericOperator | RoundedMultiply | undefined
      >();
      expectTypeOf<UpdateOf<typeof Product>['price']>().toEqualTypeOf<number | NumericOperator | undefined>();
      expectTypeOf<UpdateOf<typeof Product>['name']>().toEqualTypeOf<string | undefined>();
      expectTypeOf<UpdateOf<typeof Product>['rating']>().toEqualTypeOf<number | null | undefined>();
      void products.update('id', { stock: { decrement: 1 }, price: { multiply: 1.1 }, name: 'x' });
      void products.update('id', { stock: { set: 3 } }, { expectedVersion: 2 });
      void products.updateMany({ active: true }, { stock: { increment: 5 } });
      // @ts-expect-error: operators only on numeric fields
      void products.update('id', { name: { increment: 1 } });
      // @ts-expect-error: not on nullable numeric fields
      void products.update('id', { rating: { increment: 1 } });
      // @ts-expect-error: not on booleans
      void products.updateMany({}, { active: { multiply: 2 } });
      // @ts-expect-error: an unknown operator
      void products.update('id', { stock: { add: 1 } });
      // @ts-expect-error: managed fields cannot be patched
      void products.updateMany({}, { version: { increment: 1 } });
      // @ts-expect-error: a JSON value is a value, not an operator
      void products.update('id', { payload: { increment: 1 } });
    }));

  it("multiply with round: 'half-away-from-zero' is accepted on integer fields only", () =>
    typeOnly(() => {
      void products.update('id', { stock: { multiply: 1.05, round: 'half-away-from-zero' } });
      void products.updateMany(
        { active: true },
        { stock: { multiply: 1.125, round: 'half-away-from-zero' } },
      );
      // @ts-expect-error: number fields are not rounded
      void products.update('id', { price: { multiply: 1.05, round: 'half-away-from-zero' } });
      // @ts-expect-error: the only rounding mode
      void products.update('id', { stock: { multiply: 1.05, round: 'half-even' } });
      // @ts-expect-error: round needs multiply
      void products.update('id', { stock: { round: 'half-away-from-zero' } });
    }));

  it('updateMany and deleteMany take a required, typed filter and resolve to a count', () =>
    typeOnly(() => {
      expectTypeOf(
        products.updateMany({ stock: { lt: 5 } }, { name: 'low' }),
      ).resolves.toEqualTypeOf<number>();
      expectTypeOf(products.deleteMany({})).resolves.toEqualTypeOf<number>();
      // @ts-expect-error: the filter is required
      void products.deleteMany();
      // @ts-expect-error: the filter is typed
      void products.updateMany({ nope: 1 }, { name: 'x' });
      // @ts-expect-error: the patch is typed
      void products.updateMany({}, { name: 5 });
    }));

  it('upsert takes a key, a full insert and a patch, and resolves to the row and whether it was created', () =>
    typeOnly(() => {
      const result = products.upsert({
        where: { sku: 'a' },
        create: { sku: 'a', name: 'n', stock: 1, price: 1, rating: null, active: true, payload: { a: 1 } },
        update: { name: 'm' },
      });
      expectTypeOf(result).resolves.toEqualTypeOf<UpsertResult<RowOf<typeof Product>>>();
      expectTypeOf<UpsertResult<RowOf<typeof Product>>['created']>().toEqualTypeOf<boolean>();
      // @ts-expect-error: create must be a complete insert
      void products.upsert({ where: { sku: 'a' }, create: { sku: 'a' }, update: {} });
      // @ts-expect-error: update is a plain patch (no operators in upserts)
      void products.upsert({ where: { sku: 'a' }, create: {} as never, update: { stock: { increment: 1 } } });
      expectTypeOf(
        products.upsertMany([], { on: ['name', 'active'], update: ['stock'] }),
      ).resolves.toEqualTypeOf<UpsertResult<RowOf<typeof Product>>[]>();
      // @ts-expect-error: on names fields of the entity
      void products.upsertMany([], { on: 'nope' });
      // @ts-expect-error: update lists caller-owned fields only
      void products.upsertMany([], { on: 'sku', update: ['version'] });
    }));
});
