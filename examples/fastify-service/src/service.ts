import {
  type Database,
  NotFoundError,
  OptimisticLockError,
  type RowOf,
  type Transaction,
  ValidationError,
  defineEntity,
  field,
} from '@berth/core';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';

export const Product = defineEntity('example_products', {
  id: field.id(),
  name: field.string({ min: 1, max: 100 }).unique(),
  stock: field.integer({ min: 0 }),
  version: field.version(),
});
export const Order = defineEntity('example_orders', {
  id: field.id(),
  productId: field.string({ max: 36 }).index(),
  quantity: field.integer({ min: 1, max: 100 }),
  createdAt: field.createdAt(),
});
export type Product = RowOf<typeof Product>;

/** A request that cannot be served as asked: answered with its status, and rolls its transaction back. */
class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A transaction per request: the handler gets a `Transaction` whose repositories all run on one pinned
 * connection. It commits when the handler returns and rolls back when it throws, so a request never
 * leaves half its writes behind. Code that uses `db.repository(...)` inside joins it too (ambiently).
 */
function transactional<T>(db: Database, handler: (tx: Transaction, request: FastifyRequest) => Promise<T>) {
  return (request: FastifyRequest) => db.transaction((tx) => handler(tx, request));
}

/** The service on an open database; `listen` is the caller's (see main.ts), so tests use `inject`. */
export function buildService(db: Database): FastifyInstance {
  const app = Fastify();

  app.get('/products', async () => (await db.repository(Product).find({ orderBy: 'name' })).items);

  app.post<{ Body: { productId: string; quantity: number } }>(
    '/orders',
    transactional(db, async (tx, request) => {
      const { productId, quantity } = request.body as { productId: string; quantity: number };
      const order = await tx.repository(Order).insert({ productId, quantity });
      // The order row is already written inside the transaction; if the stock is short, throwing here
      // rolls the insert back with it.
      const product = await tx.repository(Product).getById(productId);
      if (product.stock < quantity) throw new HttpError(409, `only ${product.stock} ${product.name} left`);
      // expectedVersion: a concurrent order that changed the stock since we read it fails this one
      // (OptimisticLockError) instead of both selling the last item.
      await tx.repository(Product).update(
        product.id,
        { stock: product.stock - quantity },
        {
          expectedVersion: product.version,
        },
      );
      return order;
    }),
  );

  // berth's errors are neutral classes with a `code`: map them to HTTP once, here.
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof HttpError) return reply.status(error.statusCode).send({ error: error.message });
    if (error instanceof NotFoundError) return reply.status(404).send({ error: error.message });
    if (error instanceof ValidationError) return reply.status(400).send({ error: error.message });
    if (error instanceof OptimisticLockError) return reply.status(409).send({ error: 'try again' });
    return reply.status(500).send({ error: 'internal error' });
  });
  return app;
}
