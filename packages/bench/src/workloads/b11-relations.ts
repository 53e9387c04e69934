import { type Database, belongsTo, defineEntity, defineRelations, field, hasMany } from '@berth/core';
import { openBerth, rawPgPool } from '../context.js';
import { runGroup } from '../harness/group.js';
import { log } from '../harness/log.js';
import { openRelationPeers } from '../peers/relations/open-relation-peers.js';
import type { RelationPeer } from '../peers/relations/order-graph.js';
import { type Bench, closeAll, settings } from './common.js';
import { unavailable } from './peers-group.js';

const POOL = 8;
const ORDERS = 1_000;
const LINES_PER_ORDER = 10;
const PRODUCTS = 200;

const Product = defineEntity('bench_rel_products', {
  id: field.id(),
  title: field.string({ max: 50 }),
  price: field.integer(),
});
const OrderTable = defineEntity('bench_rel_orders', { id: field.id(), number: field.integer() });
const Line = defineEntity('bench_rel_lines', {
  id: field.id(),
  order: belongsTo(() => OrderTable, { onDelete: 'cascade' }),
  product: belongsTo(() => Product),
  position: field.integer(),
  quantity: field.integer(),
});
const Order = defineRelations(OrderTable, { lines: hasMany(() => Line, 'order') });
const ENTITIES = [Line, OrderTable, Product] as const;

/** Orders with 10 lines each over shared products: the "an order with its lines and products". */
async function seedOrders(db: Database): Promise<string[]> {
  await db.ensureSchema([Product, OrderTable, Line]);
  for (const entity of ENTITIES) await db.repository(entity).deleteMany({});
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

const RAW_ORDERS = 'SELECT "id", "number" FROM "bench_rel_orders" WHERE "id" = ANY($1) ORDER BY "id"';
const RAW_LINES =
  'SELECT "id", "orderId", "productId", "position", "quantity" FROM "bench_rel_lines" WHERE "orderId" = ANY($1) ORDER BY "id"';
const RAW_PRODUCTS = 'SELECT "id", "title", "price" FROM "bench_rel_products" WHERE "id" = ANY($1)';

/**
 * B11: orders with their 10 lines and each line's product, for 1 and for 100 orders, berth `include`
 * against the three queries and the stitching a person writes by hand on `pg` (the same three round trips
 * berth sends). PostgreSQL only. Then, unless `--no-peers`, the same graph through the peers' own relation
 * APIs (`src/peers/relations`: Drizzle's relational queries with `with`, MikroORM's `populate`, Kysely's
 * select-ins); TypeORM and Prisma are reported as not run: their bench schemas have no relation models yet.
 */
export async function b11(bench: Bench): Promise<void> {
  if (bench.backend !== 'postgres') return;
  log('B11 postgres: orders with lines and products');
  const db = await openBerth('postgres', { max: POOL });
  const pool = rawPgPool(POOL);
  try {
    const ids = await seedOrders(db);
    const orders = db.repository(Order);
    const include = { lines: { orderBy: 'id', include: { product: true } } } as const;
    const berthRead = (batch: string[]) =>
      orders
        .find({ where: { id: { in: batch } }, orderBy: 'id', limit: batch.length, include })
        .then((page) => page.items);
    const rawRead = async (batch: string[]) => {
      const { rows: orderRows } = await pool.query(RAW_ORDERS, [batch]);
      const { rows: lineRows } = await pool.query(RAW_LINES, [orderRows.map((o) => o.id)]);
      const productIds = [...new Set(lineRows.map((l) => l.productId as string))];
      const { rows: productRows } = await pool.query(RAW_PRODUCTS, [productIds]);
      // berth's integer fields are int8 columns, which pg hands back as strings: convert, as a user must.
      const products = new Map(
        productRows.map(
          (p) => [p.id as string, { id: p.id, title: p.title, price: Number(p.price) }] as const,
        ),
      );
      const byOrder = new Map<string, unknown[]>();
      for (const line of lineRows) {
        line.position = Number(line.position);
        line.quantity = Number(line.quantity);
        line.product = products.get(line.productId) ?? null;
        const list = byOrder.get(line.orderId);
        if (list) list.push(line);
        else byOrder.set(line.orderId, [line]);
      }
      return orderRows.map((o) => ({ id: o.id, number: Number(o.number), lines: byOrder.get(o.id) ?? [] }));
    };
    for (const size of [1, 100]) {
      const batchAt = (i: number) => {
        const start = (i * 7919) % (ids.length - size + 1);
        return ids.slice(start, start + size);
      };
      const sample = batchAt(3);
      const result = await runGroup({
        backend: 'postgres',
        workload: `${size} order${size > 1 ? 's' : ''} with 10 lines and their products, 8 callers, pool ${POOL}`,
        baseline: {
          name: 'raw pg, 3 queries',
          op: (i) => rawRead(batchAt(i)),
          sample: () => rawRead(sample),
        },
        candidates: [
          { name: 'berth include', op: (i) => berthRead(batchAt(i)), sample: () => berthRead(sample) },
        ],
        settings: settings(bench, 'micro', 8),
        figures: [
          {
            id: 'B11',
            candidate: 'berth include',
            baseline: 'raw pg, 3 queries',
            metric: 'throughput',
            target: { op: '>=', value: 0.9 },
          },
        ],
      });
      bench.records.push(...result.records);
      if (bench.peers) await peerGroup(bench, size, batchAt, sample, berthRead, rawRead);
    }
  } finally {
    await closeAll(db);
    await pool.end().catch(() => undefined);
  }
}

/** berth against each peer loading the same graph (target: ahead of every one), and each peer against raw. */
async function peerGroup(
  bench: Bench,
  size: number,
  batchAt: (i: number) => string[],
  sample: string[],
  berthRead: (batch: string[]) => Promise<unknown>,
  rawRead: (batch: string[]) => Promise<unknown>,
): Promise<void> {
  const { peers, failed } = await openRelationPeers(POOL);
  const workload = `${size} order${size > 1 ? 's' : ''} with lines and products vs peers, 8 callers, pool ${POOL}`;
  const op = (p: RelationPeer) => ({
    name: p.name,
    op: (i: number) => p.ordersWithLines(batchAt(i)),
    sample: () => p.ordersWithLines(sample),
  });
  try {
    const result = await runGroup({
      backend: 'postgres',
      workload,
      baseline: { name: 'raw pg, 3 queries', op: (i) => rawRead(batchAt(i)), sample: () => rawRead(sample) },
      candidates: [
        { name: 'berth', op: (i) => berthRead(batchAt(i)), sample: () => berthRead(sample) },
        ...peers.map(op),
      ],
      settings: settings(bench, 'micro', 8),
      figures: peers.flatMap((p) => [
        {
          id: 'B11',
          candidate: 'berth',
          baseline: p.name,
          metric: 'throughput' as const,
          target: { op: '>=' as const, value: 1 },
        },
        { id: 'B11', candidate: p.name, baseline: 'raw pg, 3 queries', metric: 'throughput' as const },
      ]),
    });
    bench.records.push(...result.records, ...unavailable('B11', 'postgres', workload, failed));
  } finally {
    await Promise.all(peers.map((p) => p.close().catch(() => undefined)));
  }
}
