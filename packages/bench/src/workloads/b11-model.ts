import { type Database, belongsTo, defineEntity, defineRelations, field, hasMany } from '@berth/core';
import type pg from 'pg';
import type { OrderGraph } from '../peers/relations/order-graph.js';

/** B11's graph: orders, their lines, each line's product. Shared by the workload and its CPU A/B. */
export const ORDERS = 1_000;
const LINES_PER_ORDER = 10;
const PRODUCTS = 200;

/** Products the lines point at (200, shared between orders). */
export const Product = defineEntity('bench_rel_products', {
  id: field.id(),
  title: field.string({ max: 50 }),
  price: field.integer(),
});
const OrderTable = defineEntity('bench_rel_orders', { id: field.id(), number: field.integer() });
/** Order lines: 10 per order, each pointing at a product. */
export const Line = defineEntity('bench_rel_lines', {
  id: field.id(),
  order: belongsTo(() => OrderTable, { onDelete: 'cascade' }),
  product: belongsTo(() => Product),
  position: field.integer(),
  quantity: field.integer(),
});
/** Orders with their `lines` relation. */
export const Order = defineRelations(OrderTable, { lines: hasMany(() => Line, 'order') });
/** Every entity B11 opens berth with. */
export const B11_ENTITIES = [Line, OrderTable, Product] as const;

/** Orders with 10 lines each over shared products: the "an order with its lines and products". */
export async function seedOrders(db: Database): Promise<string[]> {
  await db.ensureSchema([Product, OrderTable, Line]);
  for (const entity of B11_ENTITIES) await db.repository(entity).deleteMany({});
  const products = await db
    .repository(Product)
    .insertMany(Array.from({ length: PRODUCTS }, (_, i) => ({ title: `p${i}`, price: i + 1 })));
  const orders = await db
    .repository(Order)
    .insertMany(Array.from({ length: ORDERS }, (_, i) => ({ number: i + 1 })));
  await db.repository(Line).insertMany(
    orders.flatMap((order, o) =>
      Array.from({ length: LINES_PER_ORDER }, (_, position) => ({
        orderId: order.id,
        productId: products[(o * 7 + position * 13) % PRODUCTS]!.id,
        position,
        quantity: position + 1,
      })),
    ),
  );
  return orders.map((o) => o.id).sort();
}

/** What berth is asked for: lines by id, each with its product. */
export const B11_INCLUDE = { lines: { orderBy: 'id', include: { product: true } } } as const;

/** berth's read of the graph for `batch` (order ids). */
export function berthOrders(db: Database, batch: readonly string[]) {
  return db
    .repository(Order)
    .find({ where: { id: { in: [...batch] } }, orderBy: 'id', limit: batch.length, include: B11_INCLUDE })
    .then((page) => page.items);
}

const RAW_ORDERS = 'SELECT "id", "number" FROM "bench_rel_orders" WHERE "id" = ANY($1) ORDER BY "id"';
const RAW_LINES =
  'SELECT "id", "orderId", "productId", "position", "quantity" FROM "bench_rel_lines" WHERE "orderId" = ANY($1) ORDER BY "id"';
const RAW_PRODUCTS = 'SELECT "id", "title", "price" FROM "bench_rel_products" WHERE "id" = ANY($1)';

/**
 * The same graph by hand on `pg`: the three select-ins berth sends (without the order read's `LIMIT`),
 * stitched as a person would write it (the baseline of B11). New objects for orders and products; each
 * line is pg's own row, its int8 text turned into numbers and its product set in place (the cheapest
 * correct stitching; berth decodes every row into a new object). The result equals berth's (`b11-ab`
 * checks it as JSON).
 */
export async function rawOrders(pool: pg.Pool, batch: readonly string[]): Promise<OrderGraph[]> {
  const { rows: orderRows } = await pool.query(RAW_ORDERS, [batch]);
  const { rows: lineRows } = await pool.query(RAW_LINES, [orderRows.map((o) => o.id)]);
  const productIds = [...new Set(lineRows.map((l) => l.productId as string))];
  const { rows: productRows } = await pool.query(RAW_PRODUCTS, [productIds]);
  // berth's integer fields are int8 columns, which pg hands back as strings: convert, as a user must.
  const products = new Map(
    productRows.map((p) => [p.id as string, { id: p.id, title: p.title, price: Number(p.price) }] as const),
  );
  const byOrder = new Map<string, OrderGraph['lines']>();
  for (const line of lineRows) {
    line.position = Number(line.position);
    line.quantity = Number(line.quantity);
    line.product = products.get(line.productId) ?? null;
    const list = byOrder.get(line.orderId);
    if (list) list.push(line);
    else byOrder.set(line.orderId, [line]);
  }
  return orderRows.map((o) => ({ id: o.id, number: Number(o.number), lines: byOrder.get(o.id) ?? [] }));
}
