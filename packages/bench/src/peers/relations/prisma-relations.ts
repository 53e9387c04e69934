import { PrismaPg } from '@prisma/adapter-pg';
import { pgUrl } from '../../context.js';
import { importPrismaClient } from '../prisma.js';
import type { OrderGraph, RelationPeer } from './order-graph.js';

interface ProductModel {
  id: string;
  title: string;
  price: bigint;
}
interface LineModel {
  id: string;
  orderId: string;
  productId: string;
  position: bigint;
  quantity: bigint;
  product: ProductModel;
}
interface OrderModel {
  id: string;
  number: bigint;
  lines: LineModel[];
}
interface PrismaRelations {
  bench_rel_orders: { findMany(args: unknown): Promise<OrderModel[]> };
  $disconnect(): Promise<void>;
}

/**
 * Prisma 7 with the relation models of `prisma/schema.prisma` (`bench_rel_orders.lines`,
 * `bench_rel_lines.product`), loaded with `findMany` and a nested `include` as its docs show, in its
 * default relation load strategy, on `@prisma/adapter-pg` with a pool of the same size.
 */
export async function openPrismaRelations(max: number): Promise<RelationPeer> {
  const PrismaClient = await importPrismaClient<PrismaRelations>();
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: pgUrl(), max }) });
  return {
    name: 'prisma',
    async ordersWithLines(ids) {
      const orders = await prisma.bench_rel_orders.findMany({
        where: { id: { in: [...ids] } },
        orderBy: { id: 'asc' },
        include: { lines: { orderBy: { id: 'asc' }, include: { product: true } } },
      });
      // Prisma hands int8 columns over as bigint: convert, as berth's integer fields are numbers.
      return orders.map(
        (o): OrderGraph => ({
          id: o.id,
          number: Number(o.number),
          lines: o.lines.map((l) => ({
            id: l.id,
            orderId: l.orderId,
            productId: l.productId,
            position: Number(l.position),
            quantity: Number(l.quantity),
            product: { id: l.product.id, title: l.product.title, price: Number(l.product.price) },
          })),
        }),
      );
    },
    close: () => prisma.$disconnect(),
  };
}
