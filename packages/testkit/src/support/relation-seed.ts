import type { Database, QueryEvent } from '@berth/core';
import { RelCustomer, RelLine, RelOrder, RelProduct } from '../relation-entities.js';

/** Runs `fn` and counts the statements it sent (`db.on('query')`). */
export async function counting<T>(
  db: Database,
  fn: () => Promise<T>,
): Promise<{ result: T; statements: number }> {
  const events: QueryEvent[] = [];
  const listener = (event: QueryEvent) => void events.push(event);
  db.on('query', listener);
  try {
    const result = await fn();
    return { result, statements: events.length };
  } finally {
    db.off('query', listener);
  }
}

/** Orders with `linesPerOrder` lines each over three shared products; the first order has a customer. */
export async function seedOrders(db: Database, orders: number, linesPerOrder: number) {
  const customer = await db.repository(RelCustomer).insert({ name: 'Ada' });
  const products = await db.repository(RelProduct).insertMany([
    { title: 'bolt', price: 3 },
    { title: 'nut', price: 1 },
    { title: 'gear', price: 20 },
  ]);
  const created = await db
    .repository(RelOrder)
    .insertMany(
      Array.from({ length: orders }, (_, i) => ({ number: i + 1, customerId: i === 0 ? customer.id : null })),
    );
  const lines = created.flatMap((order) =>
    Array.from({ length: linesPerOrder }, (_, position) => ({
      orderId: order.id,
      productId: products[position % products.length]!.id,
      position,
      quantity: linesPerOrder - position,
    })),
  );
  await db.repository(RelLine).insertMany(lines);
  return { customer, products, orders: created };
}
