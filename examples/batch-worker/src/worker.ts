import { type Database, type Page, type RowOf, defineEntity, field } from '@berth/core';

export const Invoice = defineEntity('example_invoices', {
  id: field.id(),
  customer: field.string({ max: 100 }),
  amountCents: field.integer({ min: 0 }),
  status: field.string({ max: 10 }).index(), // 'open' or 'billed'
  billedCents: field.integer({ min: 0 }).nullable(),
  version: field.version(),
});
export type Invoice = RowOf<typeof Invoice>;

/** What a run did. */
export interface RunReport {
  pages: number;
  billed: number;
}

/**
 * Bills every open invoice, a page at a time: each page is read with keyset pagination (`find` with a
 * `cursor`, in id order) and written back as one batch through a unit of work (one transaction per page).
 * A crash part way keeps the pages already flushed; running again picks up the invoices still open.
 *
 * Paging by id is stable while the worker writes: a row it billed never moves in the order, so every open
 * invoice is visited exactly once, and the cursor points past the last id read, not at an offset.
 */
export async function billOpenInvoices(
  db: Database,
  pageSize = 100,
  print: (line: string) => void = console.log,
): Promise<RunReport> {
  let cursor: string | null = null;
  let pages = 0;
  let billed = 0;
  do {
    // A fresh unit of work per page: its identity map holds one page, not the whole table.
    const uow = db.unitOfWork();
    const page: Page<Invoice> = await uow.find(Invoice, {
      where: { status: 'open' },
      orderBy: 'id',
      limit: pageSize,
      cursor,
    });
    for (const invoice of page.items) {
      invoice.status = 'billed';
      invoice.billedCents = Math.round(invoice.amountCents * 1.2); // plus 20 % tax
    }
    const { updated } = await uow.flush(); // one transaction; a stale row fails the whole page
    pages += 1;
    billed += updated;
    print(`page ${pages}: billed ${updated} invoices`);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return { pages, billed };
}
