import { describe, expectTypeOf, it } from 'vitest';
import { type InsertOf, type RowOf, defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import type { Page } from '../repository/page.js';
import type { Repository } from '../repository/repository.js';
import type { UnitOfWork } from '../unit-of-work/unit-of-work.js';
import type { LoadedRow } from './include-types.js';
import { defineRelations } from './define-relations.js';
import { belongsTo, hasMany, hasOne, manyToMany } from '../entity/relation-definitions.js';

const Customer = defineEntity('t_customers', {
  id: field.id(),
  name: field.string(),
});
const Product = defineEntity('t_products', { id: field.id(), title: field.string(), price: field.integer() });
const OrderTable = defineEntity('t_orders', {
  id: field.id(),
  customer: belongsTo(() => Customer, { nullable: true, onDelete: 'setNull' }),
  placedAt: field.datetime(),
});
const Line = defineEntity('t_lines', {
  id: field.id(),
  order: field.belongsTo(() => OrderTable, { onDelete: 'cascade' }),
  product: belongsTo(() => Product),
  quantity: field.integer(),
});
const Tag = defineEntity('t_tags', { id: field.id(), label: field.string() });
const OrderTag = defineEntity('t_order_tags', {
  id: field.id(),
  order: belongsTo(() => OrderTable, { onDelete: 'cascade' }),
  tag: belongsTo(() => Tag),
});
const Note = defineEntity('t_notes', {
  id: field.id(),
  order: belongsTo(() => OrderTable, { unique: true }),
  text: field.string(),
});
const Order = defineRelations(OrderTable, {
  lines: hasMany(() => Line, 'order'),
  note: hasOne(() => Note, 'order'),
  tags: manyToMany(() => Tag, { through: () => OrderTag, from: 'order', to: 'tag' }),
});

/** Flattens an intersection, as the loaded row types are. */
type F<T> = { [K in keyof T]: T[K] } & {};
type C = RowOf<typeof Customer>;
type P = RowOf<typeof Product>;
type L = RowOf<typeof Line>;
type O = RowOf<typeof Order>;
declare const orders: Repository<typeof Order>;
declare const uow: UnitOfWork;

// Type-only checks: the functions are never called, tsc (the typecheck script) judges them.
describe('relation types', () => {
  it('a belongsTo is stored as <name>Id; relations are not row fields', () => {
    expectTypeOf<L>().toEqualTypeOf<{ id: string; orderId: string; productId: string; quantity: number }>();
    expectTypeOf<O>().toEqualTypeOf<{ id: string; customerId: string | null; placedAt: Date }>();
    expectTypeOf<InsertOf<typeof Line>>().toEqualTypeOf<{
      orderId: string;
      productId: string;
      quantity: number;
    }>();
    expectTypeOf<InsertOf<typeof Order>>().toEqualTypeOf<{ placedAt: Date; customerId?: string | null }>();
  });

  it('find with include types what it loads, to any depth', () => {
    const typed = async () => {
      const page = await orders.find({ include: { lines: { include: { product: true } }, customer: true } });
      expectTypeOf(page).toEqualTypeOf<Page<F<O & { lines: F<L & { product: P }>[]; customer: C | null }>>>();
      expectTypeOf(page.items[0]!.lines[0]!.product.price).toEqualTypeOf<number>();
      const one = await orders.findById('x', { include: { note: true, tags: true } });
      expectTypeOf(one).toEqualTypeOf<F<
        O & { note: RowOf<typeof Note> | null; tags: RowOf<typeof Tag>[] }
      > | null>();
      const first = await orders.findOne({}, 'placedAt', {
        include: { lines: { where: { quantity: { gte: 2 } }, orderBy: '-quantity', limit: 3 } },
      });
      expectTypeOf(first).toEqualTypeOf<F<O & { lines: L[] }> | null>();
      const tracked = await uow.find(Order, { include: { lines: true } });
      expectTypeOf(tracked.items).toEqualTypeOf<F<O & { lines: L[] }>[]>();
      const byId = await uow.findById(Order, 'x', { include: { customer: true } });
      expectTypeOf(byId).toEqualTypeOf<F<O & { customer: C | null }> | null>();
      expectTypeOf<LoadedRow<typeof Order, { lines: { include: { product: true } } }>>().toEqualTypeOf<
        F<O & { lines: F<L & { product: P }>[] }>
      >();
      expectTypeOf(await orders.find()).toEqualTypeOf<Page<O>>();
    };
    void typed;
  });

  it('stream with include yields rows typed as loaded; without it, plain rows', () => {
    const typed = async () => {
      for await (const order of orders.stream({
        batchSize: 50,
        include: { lines: { include: { product: true }, limit: 2 }, customer: true },
      })) {
        expectTypeOf(order).toEqualTypeOf<F<O & { lines: F<L & { product: P }>[]; customer: C | null }>>();
        expectTypeOf(order.lines[0]!.product.title).toEqualTypeOf<string>();
      }
      for await (const order of orders.stream({ where: { customerId: null } })) {
        expectTypeOf(order).toEqualTypeOf<O>();
        // @ts-expect-error a relation that was not included is not on the row
        void order.lines;
      }
      // @ts-expect-error a typo in a streamed relation name
      orders.stream({ include: { line: true } });
    };
    void typed;
  });

  it('refuses unknown relations, wrong-typed filters, and reading what was not loaded', () => {
    const refused = async () => {
      // @ts-expect-error a typo in a relation name
      await orders.find({ include: { line: true } });
      // @ts-expect-error a typo one level down
      await orders.find({ include: { lines: { include: { prodct: true } } } });
      // @ts-expect-error a filter of the wrong type on the related rows
      await orders.find({ include: { lines: { where: { quantity: 'two' } } } });
      // @ts-expect-error a sort key the related entity does not have
      await orders.find({ include: { lines: { orderBy: 'title' } } });
      const page = await orders.find({ include: { customer: true } });
      // @ts-expect-error lines were not loaded
      void page.items[0]!.lines;
      const plain = await orders.findById('x');
      // @ts-expect-error nothing was loaded
      void plain!.customer;
      // @ts-expect-error a typo in a unit of work's include
      await uow.find(Order, { include: { tag: true } });
    };
    void refused;
  });
});
