import { Kysely, PostgresDialect } from 'kysely';
import { rawPgPool } from '../../context.js';
import type { LineGraph, OrderGraph, ProductRow, RelationPeer } from './order-graph.js';

/** int8 columns: pg hands them over as text. */
type Int8 = string | number;

interface Schema {
  bench_rel_orders: { id: string; number: Int8 };
  bench_rel_lines: { id: string; orderId: string; productId: string; position: Int8; quantity: Int8 };
  bench_rel_products: { id: string; title: string; price: Int8 };
}

/**
 * Kysely 0.28: no relation API of its own, so the three queries its documentation suggests besides
 * `jsonArrayFrom` (select-in on the parents' keys, stitched by hand), on a `pg.Pool` like berth's.
 */
export function openKyselyRelations(max: number): RelationPeer {
  const pool = rawPgPool(max);
  pool.on('error', () => undefined);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    name: 'kysely',
    async ordersWithLines(ids) {
      const orders = await db
        .selectFrom('bench_rel_orders')
        .select(['id', 'number'])
        .where('id', 'in', [...ids])
        .orderBy('id')
        .execute();
      if (orders.length === 0) return [];
      const lines = await db
        .selectFrom('bench_rel_lines')
        .select(['id', 'orderId', 'productId', 'position', 'quantity'])
        .where(
          'orderId',
          'in',
          orders.map((o) => o.id),
        )
        .orderBy('id')
        .execute();
      const productIds = [...new Set(lines.map((l) => l.productId))];
      const products = new Map<string, ProductRow>();
      if (productIds.length > 0)
        for (const p of await db
          .selectFrom('bench_rel_products')
          .select(['id', 'title', 'price'])
          .where('id', 'in', productIds)
          .execute())
          products.set(p.id, { id: p.id, title: p.title, price: Number(p.price) });
      const byOrder = new Map<string, LineGraph[]>();
      for (const l of lines) {
        const line: LineGraph = {
          id: l.id,
          orderId: l.orderId,
          productId: l.productId,
          position: Number(l.position),
          quantity: Number(l.quantity),
          product: products.get(l.productId) ?? null,
        };
        const list = byOrder.get(l.orderId);
        if (list) list.push(line);
        else byOrder.set(l.orderId, [line]);
      }
      return orders.map(
        (o): OrderGraph => ({ id: o.id, number: Number(o.number), lines: byOrder.get(o.id) ?? [] }),
      );
    },
    close: () => db.destroy(),
  };
}
