import { type Database, ValidationError, type Where } from '@berth/core';
import { expect, it } from 'vitest';
import { RelCustomer, RelLine, RelNote, RelOrder, RelOrderTag, RelTag } from '../relation-entities.js';
import { counting, seedOrders } from '../support/relation-seed.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

/**
 * Three orders: #1 (customer Ada, a note, tags red and blue) with a bolt x5 and a nut x1; #2 (tag blue)
 * with a gear x2; #3 with nothing.
 */
async function seedFilters(db: Database) {
  const { customer, products, orders } = await seedOrders(db, 3, 0);
  const [bolt, nut, gear] = products as [(typeof products)[0], (typeof products)[0], (typeof products)[0]];
  const [first, second] = orders as [(typeof orders)[0], (typeof orders)[0]];
  await db.repository(RelLine).insertMany([
    { orderId: first.id, productId: bolt.id, position: 0, quantity: 5 },
    { orderId: first.id, productId: nut.id, position: 1, quantity: 1 },
    { orderId: second.id, productId: gear.id, position: 0, quantity: 2 },
  ]);
  await db.repository(RelNote).insert({ orderId: first.id, text: 'fragile' });
  const [red, blue] = await db.repository(RelTag).insertMany([{ label: 'red' }, { label: 'blue' }]);
  await db.repository(RelOrderTag).insertMany([
    { orderId: first.id, tagId: red!.id, addedBy: 'ops' },
    { orderId: first.id, tagId: blue!.id, addedBy: 'ops' },
    { orderId: second.id, tagId: blue!.id, addedBy: 'ops' },
  ]);
  return { customer };
}

/**
 * Relation filters: to-one (`{ customer: { name } }`), to-many `some` / `every` / `none`, many-to-many,
 * nested, under `or` / `not`, in `count` and in an include's `where`. On SQL one statement (EXISTS); where
 * the backend resolves them by pre-query (MongoDB), one more statement per relation filter.
 */
export function relationFilterCases(ctx: SuiteContext, db: () => Database): void {
  const numbers = async (where: Where<typeof RelOrder>) =>
    (await db().repository(RelOrder).find({ where, orderBy: 'number' })).items.map((o) => o.number);

  it('relation filters on belongsTo and hasOne: the related row exists and matches', async () => {
    await seedFilters(db());
    const byNumber = (options: { where: Where<typeof RelOrder> }) => numbers(options.where);
    expect(await byNumber({ where: { customer: { name: 'Ada' } } })).toEqual([1]);
    expect(await byNumber({ where: { customer: { name: 'Bob' } } })).toEqual([]);
    expect(await byNumber({ where: { customer: {} } })).toEqual([1]);
    // Two-valued: an order without a customer is "not (customer named Ada)".
    expect(await byNumber({ where: { not: { customer: { name: 'Ada' } } } })).toEqual([2, 3]);
    expect(await byNumber({ where: { note: { text: { startsWith: 'frag' } } } })).toEqual([1]);
    expect(await byNumber({ where: { not: { note: {} } } })).toEqual([2, 3]);
    expect(
      await db()
        .repository(RelLine)
        .count({ product: { price: { gte: 3 } } }),
    ).toBe(2);
    const line = await db()
      .repository(RelLine)
      .findOne({ product: { title: 'gear' }, order: { number: 2 } });
    expect(line?.quantity).toBe(2);
  });

  it('relation filters on hasMany and manyToMany: some, every (true for none), none, combined', async () => {
    await seedFilters(db());
    expect(await numbers({ lines: { some: { quantity: { gte: 2 } } } })).toEqual([1, 2]);
    expect(await numbers({ lines: { every: { quantity: { gte: 2 } } } })).toEqual([2, 3]);
    expect(await numbers({ lines: { none: { quantity: { gte: 2 } } } })).toEqual([3]);
    expect(await numbers({ lines: { some: {} } })).toEqual([1, 2]);
    expect(await numbers({ lines: { some: { quantity: { gte: 2 } }, none: { quantity: 1 } } })).toEqual([2]);
    expect(await numbers({ tags: { some: { label: 'red' } } })).toEqual([1]);
    expect(await numbers({ tags: { every: { label: 'blue' } } })).toEqual([2, 3]);
    expect(await numbers({ tags: { none: { label: 'blue' } } })).toEqual([3]);
    expect(
      await numbers({ or: [{ number: 3 }, { lines: { some: { product: { title: 'gear' } } } }] }),
    ).toEqual([2, 3]);
  });

  it('relation filters nest, and apply in count and in an include where', async () => {
    const { customer } = await seedFilters(db());
    const customers = db().repository(RelCustomer);
    const buyersOf = async (title: string) =>
      (await customers.find({ where: { orders: { some: { lines: { some: { product: { title } } } } } } }))
        .items;
    expect((await buyersOf('bolt')).map((c) => c.id)).toEqual([customer.id]);
    expect(await buyersOf('gear')).toEqual([]);
    expect(
      await db()
        .repository(RelOrder)
        .count({ tags: { some: { label: 'blue' } } }),
    ).toBe(2);
    const order = await db()
      .repository(RelOrder)
      .findOne({ number: 1 }, undefined, {
        include: { lines: { where: { product: { title: 'bolt' } } } },
      });
    expect(order!.lines.map((l) => l.quantity)).toEqual([5]);
  });

  it('a relation filter is one statement on SQL (EXISTS), one more per relation filter otherwise', async () => {
    await seedFilters(db());
    const expected = (preQueries: number) => (ctx.capabilities.relationSubqueries ? 1 : 1 + preQueries);
    const orders = db().repository(RelOrder);
    const toOne = await counting(db(), () => orders.find({ where: { customer: { name: 'Ada' } } }));
    expect(toOne.result.items).toHaveLength(1);
    expect(toOne.statements).toBe(expected(1));
    // many-to-many: the tags, then the join rows.
    const manyToMany = await counting(db(), () => orders.count({ tags: { none: { label: 'red' } } }));
    expect(manyToMany.result).toBe(2);
    expect(manyToMany.statements).toBe(expected(2));
  });

  it('a bad relation filter, or one on a set-based write, is refused before anything is sent', async () => {
    await seedFilters(db());
    const orders = db().repository(RelOrder);
    const { statements } = await counting(db(), async () => {
      await rejection(orders.find({ where: { lines: { any: {} } } as never }), ValidationError);
      await rejection(orders.find({ where: { lines: {} } as never }), ValidationError);
      await rejection(orders.find({ where: { customer: 'Ada' } as never }), ValidationError);
      await rejection(orders.count({ lines: { some: { nope: 1 } } } as never), ValidationError);
      await rejection(orders.count({ customer: { name: 5 } } as never), ValidationError);
      await rejection(orders.updateMany({ customer: { name: 'Ada' } }, { number: 9 }), ValidationError);
      await rejection(orders.deleteMany({ lines: { none: {} } }), ValidationError);
    });
    expect(statements).toBe(0);
    expect(await orders.count({ number: 9 })).toBe(0);
  });
}
