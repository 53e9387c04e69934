import { ForeignKeyViolationError, type QueryEvent, ValidationError } from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  RelCustomer,
  RelLine,
  RelNote,
  RelOrder,
  RelOrderTag,
  RelProduct,
  RelTag,
  relationEntities,
} from '../relation-entities.js';
import { counting, seedOrders } from '../support/relation-seed.js';
import { rejection } from '../support/rejection.js';
import { byIdLoaderCases } from './by-id-loader-cases.js';
import { relationFilterCases } from './relation-filter-cases.js';
import type { SuiteContext } from '../support/suite-context.js';

/**
 * Relations: `include` on find, findById, findOne and the unit of work, batched (one statement per
 * relation per level, however many parents), and the foreign keys `ensureSchema` makes where the backend
 * enforces them.
 */
export function relationCases(ctx: SuiteContext): void {
  describe('relations', () => {
    // Their own schema: the other groups (and every PGlite instance they start) need none of these tables.
    const db = ctx.shared({ pool: { max: 2 }, entities: relationEntities });
    beforeEach(() => ctx.clear(db(), ...relationEntities));
    relationFilterCases(ctx, db);
    byIdLoaderCases(db);

    it('ensureSchema with relations is idempotent, and safe run twice at once', async () => {
      await Promise.all([db().ensureSchema(relationEntities), db().ensureSchema(relationEntities)]);
      await db().ensureSchema(relationEntities);
      const { orders } = await seedOrders(db(), 1, 1);
      expect(await db().repository(RelLine).count({ orderId: orders[0]!.id })).toBe(1);
    });

    it('include loads belongsTo, hasMany (filtered, ordered, limited per parent), hasOne and manyToMany, nested', async () => {
      const { customer, products, orders } = await seedOrders(db(), 2, 4);
      const [first, second] = orders as [(typeof orders)[0], (typeof orders)[0]];
      await db().repository(RelNote).insert({ orderId: first.id, text: 'fragile' });
      const [red, blue] = await db()
        .repository(RelTag)
        .insertMany([{ label: 'red' }, { label: 'blue' }]);
      await db()
        .repository(RelOrderTag)
        .insertMany([
          { orderId: first.id, tagId: red!.id, addedBy: 'ops' },
          { orderId: first.id, tagId: blue!.id, addedBy: 'ops' },
          { orderId: second.id, tagId: blue!.id, addedBy: 'sales' },
        ]);

      const page = await db()
        .repository(RelOrder)
        .find({
          orderBy: 'number',
          include: {
            customer: true,
            note: true,
            tags: { orderBy: 'label' },
            lines: {
              where: { quantity: { gte: 2 } },
              orderBy: '-quantity',
              limit: 2,
              include: { product: true, order: { include: { customer: true } } },
            },
          },
        });
      const [a, b] = page.items as [(typeof page.items)[0], (typeof page.items)[0]];
      expect(a.customer).toEqual(customer);
      expect(b.customer).toBeNull();
      expect(a.note).toMatchObject({ orderId: first.id, text: 'fragile' });
      expect(b.note).toBeNull();
      expect(a.tags.map((t) => t.label)).toEqual(['blue', 'red']);
      expect(b.tags.map((t) => t.label)).toEqual(['blue']);
      // quantities are 4, 3, 2, 1 by position: >= 2, descending, first two of each order.
      expect(a.lines.map((l) => [l.quantity, l.product.title])).toEqual([
        [4, 'bolt'],
        [3, 'nut'],
      ]);
      expect(b.lines.map((l) => l.position)).toEqual([0, 1]);
      expect(a.lines[0]!.product).toEqual(products[0]);
      expect(a.lines[0]!.order).toMatchObject({ id: first.id, number: 1, customer });
      expect(b.lines[1]!.order.customer).toBeNull();
      // The same row read through one relation is one object.
      expect(a.lines[0]!.product).toBe(b.lines[0]!.product);

      const joins = await db()
        .repository(RelOrder)
        .findById(first.id, { include: { orderTags: { orderBy: 'id', include: { tag: true } } } });
      expect(joins!.orderTags.map((j) => [j.addedBy, j.tag.label])).toEqual([
        ['ops', 'red'],
        ['ops', 'blue'],
      ]);
    });

    it('findById, getById, findOne and the customer side take include; no children read as [] or null', async () => {
      const { customer, orders } = await seedOrders(db(), 2, 0);
      const found = await db()
        .repository(RelCustomer)
        .findById(customer.id, { include: { orders: { include: { lines: true, note: true } } } });
      expect(found!.orders.map((o) => o.number)).toEqual([1]);
      expect(found!.orders[0]!.lines).toEqual([]);
      expect(found!.orders[0]!.note).toBeNull();
      const got = await db()
        .repository(RelOrder)
        .getById(orders[1]!.id, { include: { customer: true } });
      expect(got.customer).toBeNull();
      const one = await db()
        .repository(RelCustomer)
        .findOne({ name: 'Ada' }, undefined, { include: { orders: { include: { customer: true } } } });
      expect(one!.orders.map((o) => o.id)).toEqual([orders[0]!.id]);
      expect(one!.orders[0]!.customer).toEqual(customer);
      expect(
        await db()
          .repository(RelOrder)
          .findById('missing', { include: { lines: true } }),
      ).toBeNull();
    });

    it('one statement per relation per level: the same count for 1 parent and for 1,000', async () => {
      await seedOrders(db(), 1_000, 2);
      const include = { customer: true, lines: { include: { product: true } } } as const;
      const one = await counting(db(), () => db().repository(RelOrder).find({ limit: 1, include }));
      const all = await counting(db(), () => db().repository(RelOrder).find({ limit: 1_000, include }));
      expect(one.result.items).toHaveLength(1);
      expect(all.result.items).toHaveLength(1_000);
      expect(all.result.items.every((o) => o.lines.length === 2 && o.lines[1]!.product.title === 'nut')).toBe(
        true,
      );
      // orders, customers, lines, products.
      expect(one.statements).toBe(4);
      expect(all.statements).toBe(one.statements);
      const tagged = await counting(db(), () =>
        db()
          .repository(RelOrder)
          .find({ limit: 1_000, include: { tags: true } }),
      );
      // orders, then the (empty) join rows: no tag is read for no link.
      expect(tagged.statements).toBe(2);
    });

    it('stream with include: each batch loads its relations batched, and holds no connection between batches', async () => {
      await seedOrders(db(), 7, 2);
      const include = { customer: true, lines: { orderBy: 'position', include: { product: true } } } as const;
      const events: QueryEvent[] = [];
      const listener = (event: QueryEvent) => void events.push(event);
      db().on('query', listener);
      const numbers: number[] = [];
      const perBatch: number[] = [];
      try {
        let seen = 0;
        for await (const order of db()
          .repository(RelOrder)
          .stream({ orderBy: 'number', batchSize: 3, include })) {
          // A batch's statements are all sent before its first row is yielded.
          if (seen++ % 3 === 0) perBatch.push(events.length);
          numbers.push(order.number);
          expect(order.lines.map((l) => [l.position, l.product.title])).toEqual([
            [0, 'bolt'],
            [1, 'nut'],
          ]);
          expect(order.customer?.name ?? null).toBe(order.number === 1 ? 'Ada' : null);
          expect(db().pool.stats().inUse).toBe(0);
          expect(db().replicaStats()?.sum.inUse ?? 0).toBe(0);
        }
      } finally {
        db().off('query', listener);
      }
      expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7]);
      // Batches of 3, 3 and 1 orders: orders, customers (only the first batch has a customer id), lines,
      // products. One statement per relation per level per batch, whatever the batch size.
      expect(perBatch).toEqual([4, 7, 10]);
      expect(events).toHaveLength(10);
      expect(db().pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
      await rejection(
        (async () => {
          for await (const _ of db()
            .repository(RelOrder)
            .stream({ include: { line: true } as never }))
            void _;
        })(),
        ValidationError,
      );
      expect(() =>
        db()
          .repository(RelOrder)
          .stream({ include: { lines: { limit: 0 } } }),
      ).toThrow(ValidationError);
    });

    it('a per-parent limit is read in the one statement (window function / $group), correct for every parent', async () => {
      await seedOrders(db(), 5, 6);
      const events: QueryEvent[] = [];
      const listener = (event: QueryEvent) => void events.push(event);
      db().on('query', listener);
      const page = await db()
        .repository(RelOrder)
        .find({
          orderBy: 'number',
          include: { lines: { where: { quantity: { lte: 5 } }, orderBy: '-quantity', limit: 2 } },
        })
        .finally(() => db().off('query', listener));
      // quantities are 6..1 by position: at most 5, descending, the first two of EACH order.
      expect(page.items.map((o) => o.lines.map((l) => l.quantity))).toEqual(Array(5).fill([5, 4]));
      expect(events).toHaveLength(2);
      // The limit travels to the backend: a numbered read on SQL, an aggregation on MongoDB.
      expect(
        events[1]!.statement.includes('ROW_NUMBER() OVER (PARTITION BY') ||
          events[1]!.operation === 'aggregate',
      ).toBe(true);
      const first = await db()
        .repository(RelOrder)
        .findOne({ number: 3 }, undefined, { include: { lines: { orderBy: 'position', limit: 4 } } });
      expect(first!.lines.map((l) => l.position)).toEqual([0, 1, 2, 3]);
    });

    it('a per-parent limit on a many-to-many is read in the one statement, joined in the backend', async () => {
      const { orders } = await seedOrders(db(), 3, 0);
      const tags = await db()
        .repository(RelTag)
        .insertMany(['a', 'b', 'c', 'd', 'e'].map((label) => ({ label })));
      const link = (order: number, labels: string) =>
        [...labels].map((label) => ({
          orderId: orders[order]!.id,
          tagId: tags.find((t) => t.label === label)!.id,
          addedBy: 'ops',
        }));
      await db()
        .repository(RelOrderTag)
        .insertMany([...link(0, 'aebdc'), ...link(1, 'bd'), ...link(2, 'e')]);
      const include = { tags: { where: { label: { ne: 'd' } }, orderBy: '-label', limit: 2 } } as const;
      const events: QueryEvent[] = [];
      const listener = (event: QueryEvent) => void events.push(event);
      db().on('query', listener);
      const page = await db()
        .repository(RelOrder)
        .find({ orderBy: 'number', include })
        .finally(() => db().off('query', listener));
      // Filtered (no 'd'), in the relation's order (label descending), the first two of EACH order.
      expect(page.items.map((o) => o.tags.map((t) => t.label))).toEqual([['e', 'c'], ['b'], ['e']]);
      // A tag linked to two orders is one object.
      expect(page.items[0]!.tags[0]).toBe(page.items[2]!.tags[0]);
      // orders, then ONE read of the tags through their links, which returns only the rows kept.
      expect(events).toHaveLength(2);
      expect(events[1]!.rows).toBe(4);
      expect(
        events[1]!.statement.includes('ROW_NUMBER() OVER (PARTITION BY') ||
          events[1]!.operation === 'aggregate',
      ).toBe(true);

      const uow = db().unitOfWork();
      const tracked = await uow.find(RelOrder, { orderBy: 'number', include: { tags: { limit: 1 } } });
      const a = await uow.findById(RelTag, tags[0]!.id);
      expect(tracked.items.map((o) => o.tags.map((t) => t.label))).toEqual([['a'], ['b'], ['e']]);
      expect(tracked.items[0]!.tags[0]).toBe(a);
      const none = await db()
        .repository(RelOrder)
        .findOne({ number: 3 }, undefined, { include: { tags: { where: { label: 'a' }, limit: 5 } } });
      expect(none!.tags).toEqual([]);
    });

    it('a unit of work puts related rows in its identity map: one object through every path', async () => {
      const { orders } = await seedOrders(db(), 2, 3);
      const uow = db().unitOfWork();
      const product = await uow.findById(
        RelProduct,
        (await db().repository(RelProduct).findOne({ title: 'bolt' }))!.id,
      );
      const page = await uow.find(RelOrder, {
        orderBy: 'number',
        include: { lines: { include: { product: true } } },
      });
      expect(page.items[0]!.lines[0]!.product).toBe(product);
      expect(page.items[1]!.lines[0]!.product).toBe(product);
      const order = await uow.findById(RelOrder, orders[0]!.id, { include: { customer: true } });
      expect(order).toBe(page.items[0]);
      const line = await uow.findOne(RelLine, { orderId: orders[1]!.id, position: 0 }, undefined, {
        include: { order: true },
      });
      expect(line).toBe(page.items[1]!.lines[0]);
      expect(line!.order).toBe(page.items[1]);
      // Loaded relations are not fields: changing a tracked row still writes only its fields.
      line!.quantity = 99;
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 1, deleted: 0 });
      expect((await db().repository(RelLine).findById(line!.id))!.quantity).toBe(99);
    });

    it('a unit of work inserts parents before children and deletes children first, whatever the call order', async () => {
      const uow = db().unitOfWork();
      const product = uow.persist(RelProduct, { title: 'gear', price: 5 });
      const order = uow.persist(RelOrder, { number: 7, customerId: null });
      // The child is persisted first and its entity is first in the change set: the flush reorders.
      const early = uow.persist(RelNote, { orderId: order.id, text: 'first' });
      uow.persist(RelLine, { orderId: order.id, productId: product.id, position: 0, quantity: 1 });
      const customer = uow.persist(RelCustomer, { name: 'Grace' });
      order.customerId = customer.id;
      expect(await uow.flush()).toEqual({ inserted: 5, updated: 0, deleted: 0 });
      const loaded = await db()
        .repository(RelOrder)
        .findById(order.id, {
          include: { customer: true, note: true, lines: { include: { product: true } } },
        });
      expect(loaded).toMatchObject({ customer: { name: 'Grace' }, note: { id: early.id } });
      expect(loaded!.lines.map((l) => l.product.title)).toEqual(['gear']);

      const cleanup = db().unitOfWork();
      const tracked = await cleanup.findById(RelOrder, order.id, { include: { lines: true, note: true } });
      cleanup.remove(RelProduct, (await cleanup.findById(RelProduct, product.id))!);
      cleanup.remove(RelOrder, tracked!);
      for (const line of tracked!.lines) cleanup.remove(RelLine, line);
      cleanup.remove(RelNote, tracked!.note!);
      expect(await cleanup.flush()).toEqual({ inserted: 0, updated: 0, deleted: 4 });
      expect(await db().repository(RelLine).count()).toBe(0);
      expect(await db().repository(RelProduct).count()).toBe(0);
    });

    it('a flush runs an update pointing at a row it inserts after that insert', async () => {
      const { orders } = await seedOrders(db(), 2, 0);
      const uow = db().unitOfWork();
      const [first, second] = await Promise.all(orders.map((o) => uow.findById(RelOrder, o.id)));
      // Read before, changed to reference a customer persisted in the same flush (checked by the foreign
      // key on SQL backends), beside an update that references nothing new.
      first!.customerId = uow.persist(RelCustomer, { name: 'Linus' }).id;
      second!.number = 20;
      expect(await uow.flush()).toEqual({ inserted: 1, updated: 2, deleted: 0 });
      const loaded = await db()
        .repository(RelOrder)
        .find({ orderBy: 'number', include: { customer: true } });
      expect(loaded.items.map((o) => [o.number, o.customer?.name ?? null])).toEqual([
        [1, 'Linus'],
        [20, null],
      ]);
    });

    it('a bad include is refused before anything is sent', async () => {
      const orders = db().repository(RelOrder);
      const { statements } = await counting(db(), async () => {
        await rejection(orders.find({ include: { line: true } as never }), ValidationError);
        await rejection(
          orders.find({ include: { lines: true }, select: { id: true } } as never),
          ValidationError,
        );
        await rejection(
          db()
            .repository(RelLine)
            .find({ include: { order: { limit: 1 } } as never }),
          ValidationError,
        );
        await rejection(
          orders.findById('x', { include: { lines: { where: { nope: 1 } } } as never }),
          ValidationError,
        );
        await rejection(orders.findOne({}, undefined, { include: [] as never }), ValidationError);
        await rejection(
          db()
            .unitOfWork()
            .find(RelOrder, { include: { tags: { limit: 0 } } }),
          ValidationError,
        );
      });
      expect(statements).toBe(0);
    });

    if (ctx.capabilities.foreignKeys) {
      it('foreign keys: a missing target or a restricted delete is ForeignKeyViolationError naming the relation', async () => {
        const { products, orders } = await seedOrders(db(), 1, 1);
        const missing = await rejection(
          db()
            .repository(RelLine)
            .insert({ orderId: orders[0]!.id, productId: 'no-such-product', position: 9, quantity: 1 }),
          ForeignKeyViolationError,
        );
        expect(missing).toMatchObject({
          entity: RelLine.name,
          relation: 'product',
          code: 'FOREIGN_KEY_VIOLATION',
        });
        const restricted = await rejection(
          db().repository(RelProduct).delete(products[0]!.id),
          ForeignKeyViolationError,
        );
        expect(restricted.relation).toBe('product');
        expect(await db().repository(RelProduct).findById(products[0]!.id)).not.toBeNull();
      });

      it('foreign keys: onDelete cascade removes the children, setNull clears the reference', async () => {
        const { customer, orders } = await seedOrders(db(), 2, 2);
        await db().repository(RelNote).insert({ orderId: orders[0]!.id, text: 'x' });
        await db().repository(RelOrder).delete(orders[0]!.id);
        expect(await db().repository(RelLine).count({ orderId: orders[0]!.id })).toBe(0);
        expect(await db().repository(RelNote).count()).toBe(0);
        expect(await db().repository(RelLine).count()).toBe(2);
        await db().repository(RelOrder).update(orders[1]!.id, { customerId: customer.id });
        await db().repository(RelCustomer).delete(customer.id);
        expect((await db().repository(RelOrder).findById(orders[1]!.id))!.customerId).toBeNull();
      });
    } else {
      it('without foreign keys (MongoDB): a dangling reference is stored, and loads as null', async () => {
        const { orders } = await seedOrders(db(), 1, 0);
        const line = await db()
          .repository(RelLine)
          .insert({ orderId: orders[0]!.id, productId: 'no-such-product', position: 0, quantity: 1 });
        const loaded = await db()
          .repository(RelLine)
          .findById(line.id, { include: { product: true } });
        expect(loaded!.product).toBeNull();
      });
    }
  });
}
