import { type Database, type RowOf, defineEntity, field } from '@berth/core';

// An entity is declared once; the row types are inferred from it (see `Book` below).
export const Book = defineEntity('example_books', {
  id: field.id(), // a UUIDv7 made by berth, the same on every backend
  title: field.string({ min: 1, max: 200 }),
  author: field.string({ max: 100 }).index(),
  year: field.integer({ min: 0, max: 3000 }),
  inStock: field.integer({ min: 0 }).default(0),
  version: field.version(), // optimistic locking: 1 on insert, +1 on every change
  createdAt: field.createdAt(),
});
export type Book = RowOf<typeof Book>;

/** What the tour did, for the caller (and the test) to check. */
export interface TourResult {
  firstPage: string[];
  secondPage: string[];
  restocked: number;
  afterRollback: number;
  total: number;
}

/**
 * A tour of berth on an open database: insert, find with filters and a cursor page, a unit of work and
 * a transaction. `print` gets one line per step.
 */
export async function tour(db: Database, print: (line: string) => void = console.log): Promise<TourResult> {
  const books = db.repository(Book);

  // Insert: many rows in one go, all or nothing. Omitted fields take their defaults (inStock: 0).
  await books.insertMany([
    { title: 'Dune', author: 'Herbert', year: 1965, inStock: 3 },
    { title: 'Neuromancer', author: 'Gibson', year: 1984 },
    { title: 'Hyperion', author: 'Simmons', year: 1989, inStock: 1 },
    { title: 'Foundation', author: 'Asimov', year: 1951, inStock: 2 },
    { title: 'I, Robot', author: 'Asimov', year: 1950 },
  ]);
  print(`inserted ${await books.count()} books`);

  // Find: filters, an order (ties broken by id) and a page size. `nextCursor` continues where it stopped.
  const query = { where: { year: { gte: 1950 } }, orderBy: ['-year' as const], limit: 2 };
  const first = await books.find(query);
  const second = await books.find({ ...query, cursor: first.nextCursor });
  print(
    `newest first: ${first.items.map((b) => b.title).join(', ')} | then ${second.items.map((b) => b.title).join(', ')}`,
  );

  // Unit of work: read, change plain objects, flush once. Only changed fields are written, in one
  // transaction, each update checked against the version that was read.
  const uow = db.unitOfWork();
  const { items: outOfStock } = await uow.find(Book, { where: { inStock: 0 } });
  for (const book of outOfStock) book.inStock = 5;
  uow.persist(Book, { title: 'The Caves of Steel', author: 'Asimov', year: 1954, inStock: 5 });
  const flushed = await uow.flush();
  print(
    `restocked ${outOfStock.length} books and added 1 (${flushed.updated} updated, ${flushed.inserted} inserted)`,
  );

  // Transaction: everything inside runs on one connection and commits together; an error rolls it all back.
  try {
    await db.transaction(async (tx) => {
      await tx.repository(Book).insert({ title: 'Never sold', author: 'Nobody', year: 2000 });
      throw new Error('changed my mind');
    });
  } catch (error) {
    print(`the transaction rolled back: ${(error as Error).message}`);
  }
  const afterRollback = await books.count({ author: 'Nobody' });
  const total = await books.count();
  print(`${total} books in the end`);
  return {
    firstPage: first.items.map((b) => b.title),
    secondPage: second.items.map((b) => b.title),
    restocked: outOfStock.length,
    afterRollback,
    total,
  };
}
