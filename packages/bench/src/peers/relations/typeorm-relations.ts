import { DataSource, EntitySchema, In } from 'typeorm';
import { DATABASE, locations } from '../../context.js';
import type { OrderGraph, RelationPeer } from './order-graph.js';

/** int8 columns: pg hands them over as text; berth's integer fields are numbers. */
const int8 = {
  type: 'bigint',
  transformer: { from: (v: string | null) => (v === null ? v : Number(v)), to: (v: number) => v },
} as const;

interface ProductEntity {
  id: string;
  title: string;
  price: number;
}
interface LineEntity {
  id: string;
  orderId: string;
  productId: string;
  position: number;
  quantity: number;
  order?: OrderEntity;
  product: ProductEntity;
}
interface OrderEntity {
  id: string;
  number: number;
  lines: LineEntity[];
}

const Products = new EntitySchema<ProductEntity>({
  name: 'RelProduct',
  tableName: 'bench_rel_products',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    title: { type: 'varchar', length: 50 },
    price: int8,
  },
});
const Orders = new EntitySchema<OrderEntity>({
  name: 'RelOrder',
  tableName: 'bench_rel_orders',
  columns: { id: { type: 'varchar', length: 36, primary: true }, number: int8 },
  relations: { lines: { type: 'one-to-many', target: 'RelLine', inverseSide: 'order' } },
});
// The foreign keys are columns as well as relations (TypeORM maps both to one column), so the lines keep
// their `orderId` / `productId` as berth's rows do.
const Lines = new EntitySchema<LineEntity>({
  name: 'RelLine',
  tableName: 'bench_rel_lines',
  columns: {
    id: { type: 'varchar', length: 36, primary: true },
    orderId: { type: 'varchar', length: 36 },
    productId: { type: 'varchar', length: 36 },
    position: int8,
    quantity: int8,
  },
  relations: {
    order: { type: 'many-to-one', target: 'RelOrder', joinColumn: { name: 'orderId' }, inverseSide: 'lines' },
    product: { type: 'many-to-one', target: 'RelProduct', joinColumn: { name: 'productId' } },
  },
});

/**
 * TypeORM 1 with entity relations (one-to-many lines, many-to-one product), loaded by its repository's
 * `find` with `relations` and a nested `order`, as its docs show, in its default relation load strategy
 * (one statement joining the three tables).
 */
export async function openTypeOrmRelations(max: number): Promise<RelationPeer> {
  const l = locations().postgres;
  const ds = new DataSource({
    type: 'postgres',
    host: l.host,
    port: l.port,
    username: l.user,
    ...(l.password ? { password: l.password } : {}),
    database: DATABASE,
    entities: [Orders, Lines, Products],
    poolSize: max,
    synchronize: false,
    logging: false,
  });
  await ds.initialize();
  const repo = ds.getRepository(Orders);
  return {
    name: 'typeorm',
    async ordersWithLines(ids) {
      const orders = await repo.find({
        where: { id: In([...ids]) },
        relations: { lines: { product: true } },
        order: { id: 'ASC', lines: { id: 'ASC' } },
      });
      return orders.map(
        (o): OrderGraph => ({
          id: o.id,
          number: o.number,
          lines: o.lines.map((line) => ({
            id: line.id,
            orderId: line.orderId,
            productId: line.productId,
            position: line.position,
            quantity: line.quantity,
            product: { id: line.product.id, title: line.product.title, price: line.product.price },
          })),
        }),
      );
    },
    close: () => ds.destroy(),
  };
}
