import { type Database, TransactionEndedError, ValidationError } from '@berth/core';
import { expect, it } from 'vitest';
import { RelProduct } from '../relation-entities.js';
import { counting } from '../support/relation-seed.js';
import { rejection } from '../support/rejection.js';

async function seedProducts(db: Database, count: number) {
  return db
    .repository(RelProduct)
    .insertMany(Array.from({ length: count }, (_, i) => ({ title: `p${i}`, price: i })));
}

/**
 * Request-scoped batching: `db.loader(Entity)` and `uow.loader(Entity)` coalesce the `load(id)` calls of
 * one tick into one `IN` read.
 */
export function byIdLoaderCases(db: () => Database): void {
  it('a Promise.all over 100 ids (with repeats and missing ids) is ONE statement; each caller gets its row', async () => {
    const products = await seedProducts(db(), 100);
    const loader = db().loader(RelProduct);
    const ids = [...products.map((p) => p.id), products[0]!.id, 'no-such-id', 'x'.repeat(500)];
    const { result, statements } = await counting(db(), () => Promise.all(ids.map((id) => loader.load(id))));
    expect(statements).toBe(1);
    expect(result.slice(0, 100)).toEqual(products);
    expect(result.slice(100)).toEqual([products[0], null, null]);
    // Unbatched, the same reads are one statement each (or more: MongoDB may greet a new connection).
    const single = await counting(db(), () =>
      Promise.all(products.slice(0, 10).map((p) => db().repository(RelProduct).findById(p.id))),
    );
    expect(single.statements).toBeGreaterThanOrEqual(10);
    // A later tick is a new batch, read again (nothing cached across batches).
    await db().repository(RelProduct).update(products[1]!.id, { price: 999 });
    const again = await counting(db(), () => loader.loadMany([products[1]!.id, products[2]!.id]));
    expect(again.result.map((p) => p!.price)).toEqual([999, 2]);
    expect(again.statements).toBe(1);
  });

  it("a unit of work's loader reads only ids it does not hold, and gives the tracked objects", async () => {
    const products = await seedProducts(db(), 3);
    const uow = db().unitOfWork();
    const known = await uow.findById(RelProduct, products[0]!.id);
    uow.remove(RelProduct, (await uow.findById(RelProduct, products[2]!.id))!);
    const loader = uow.loader(RelProduct);
    const { result, statements } = await counting(db(), () => loader.loadMany(products.map((p) => p.id)));
    expect(statements).toBe(1);
    expect(result[0]).toBe(known);
    expect(result[1]).toBe(await uow.findById(RelProduct, products[1]!.id));
    expect(result[2]).toBeNull();
    const cached = await counting(db(), () => loader.load(products[0]!.id));
    expect(cached).toEqual({ result: known, statements: 0 });
  });

  it('a bad id rejects only its caller; a failed batch rejects every caller with the typed error', async () => {
    const products = await seedProducts(db(), 2);
    const loader = db().loader(RelProduct);
    const [bad, good] = await Promise.allSettled([loader.load(42 as never), loader.load(products[0]!.id)]);
    expect(bad.status === 'rejected' && bad.reason instanceof ValidationError).toBe(true);
    expect(good).toEqual({ status: 'fulfilled', value: products[0] });
    await rejection(loader.loadMany('x' as never), ValidationError);

    // A loader made on a transaction that has ended: the batch's read is refused, every caller told so.
    let ended: ReturnType<Database['loader']> | undefined;
    await db().transaction(async (tx) => {
      ended = tx.loader(RelProduct);
    });
    const both = await Promise.allSettled([ended!.load(products[0]!.id), ended!.load(products[1]!.id)]);
    for (const outcome of both)
      expect(outcome.status === 'rejected' && outcome.reason instanceof TransactionEndedError).toBe(true);
  });
}
