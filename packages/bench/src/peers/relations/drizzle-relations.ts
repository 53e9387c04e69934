import { asc, inArray, relations } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { bigint, pgTable, varchar } from 'drizzle-orm/pg-core';
import { rawPgPool } from '../../context.js';
import type { OrderGraph, RelationPeer } from './order-graph.js';

const orders = pgTable('bench_rel_orders', {
  id: varchar('id', { length: 36 }).primaryKey(),
  number: bigint('number', { mode: 'number' }).notNull(),
});
const lines = pgTable('bench_rel_lines', {
  id: varchar('id', { length: 36 }).primaryKey(),
  orderId: varchar('orderId', { length: 36 }).notNull(),
  productId: varchar('productId', { length: 36 }).notNull(),
  position: bigint('position', { mode: 'number' }).notNull(),
  quantity: bigint('quantity', { mode: 'number' }).notNull(),
});
const products = pgTable('bench_rel_products', {
  id: varchar('id', { length: 36 }).primaryKey(),
  title: varchar('title', { length: 50 }).notNull(),
  price: bigint('price', { mode: 'number' }).notNull(),
});
const ordersRelations = relations(orders, ({ many }) => ({ lines: many(lines) }));
const linesRelations = relations(lines, ({ one }) => ({
  order: one(orders, { fields: [lines.orderId], references: [orders.id] }),
  product: one(products, { fields: [lines.productId], references: [products.id] }),
}));
const schema = { orders, lines, products, ordersRelations, linesRelations };

/** Drizzle 0.45's relational queries (`db.query.orders.findMany({ with })`) over node-postgres. */
export function openDrizzleRelations(max: number): RelationPeer {
  const pool = rawPgPool(max);
  pool.on('error', () => undefined);
  const db = drizzle({ client: pool, schema });
  return {
    name: 'drizzle',
    async ordersWithLines(ids) {
      const found = await db.query.orders.findMany({
        where: inArray(orders.id, [...ids]),
        orderBy: asc(orders.id),
        with: { lines: { orderBy: asc(lines.id), with: { product: true } } },
      });
      return found as OrderGraph[];
    },
    close: () => pool.end(),
  };
}
