import { BigIntType, Collection, EntitySchema } from '@mikro-orm/core';
import { initMikroOrm } from '../mikro-orm.js';
import type { OrderGraph, RelationPeer } from './order-graph.js';

class ProductEntity {
  id!: string;
  title!: string;
  price!: number;
}
class OrderEntity {
  id!: string;
  number!: number;
  lines = new Collection<LineEntity>(this);
}
class LineEntity {
  id!: string;
  order!: OrderEntity;
  product!: ProductEntity;
  position!: number;
  quantity!: number;
}

const int8 = () => ({ type: new BigIntType('number') });
const schemas = [
  new EntitySchema<ProductEntity>({
    class: ProductEntity,
    tableName: 'bench_rel_products',
    properties: {
      id: { type: 'string', primary: true, length: 36 },
      title: { type: 'string', length: 50 },
      price: int8(),
    } as never,
  }),
  new EntitySchema<OrderEntity>({
    class: OrderEntity,
    tableName: 'bench_rel_orders',
    properties: {
      id: { type: 'string', primary: true, length: 36 },
      number: int8(),
      lines: { kind: '1:m', entity: () => LineEntity, mappedBy: 'order' },
    } as never,
  }),
  new EntitySchema<LineEntity>({
    class: LineEntity,
    tableName: 'bench_rel_lines',
    properties: {
      id: { type: 'string', primary: true, length: 36 },
      order: { kind: 'm:1', entity: () => OrderEntity, fieldName: 'orderId' },
      product: { kind: 'm:1', entity: () => ProductEntity, fieldName: 'productId' },
      position: int8(),
      quantity: int8(),
    } as never,
  }),
];

/**
 * MikroORM 6 as its docs recommend for a graph: one `em.fork()` per request, `find` with `populate` of the
 * lines and their products (its default joined strategy), ordered by id at both levels.
 */
export async function openMikroOrmRelations(max: number): Promise<RelationPeer> {
  const orm = await initMikroOrm(schemas, max);
  return {
    name: 'mikro-orm',
    async ordersWithLines(ids) {
      const em = orm.em.fork();
      const orders = await em.find(
        OrderEntity,
        { id: { $in: [...ids] } },
        { populate: ['lines.product'], orderBy: { id: 'asc', lines: { id: 'asc' } } },
      );
      return orders.map(
        (o): OrderGraph => ({
          id: o.id,
          number: o.number,
          lines: o.lines.getItems().map((line) => ({
            id: line.id,
            orderId: line.order.id,
            productId: line.product.id,
            position: line.position,
            quantity: line.quantity,
            product: { id: line.product.id, title: line.product.title, price: line.product.price },
          })),
        }),
      );
    },
    close: () => orm.close(true),
  };
}
