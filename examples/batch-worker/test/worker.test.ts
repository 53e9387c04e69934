import { fileURLToPath } from 'node:url';
import { connect } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { Invoice, billOpenInvoices } from '../src/worker.js';
import { databases, runStart } from '@berth/example-test-support';

const targets = await databases('berth_example_worker');
const startTarget = (await databases('berth_example_worker_main')).at(-1)!;

describe.each(targets)('the batch worker on $backend', ({ url }) => {
  it('bills every open invoice exactly once, a page per unit of work, and leaves the rest alone', async () => {
    const db = await connect(url, { entities: [Invoice], importAdapter: (name) => import(name) });
    try {
      await db.ensureSchema();
      const invoices = db.repository(Invoice);
      await invoices.insertMany(
        Array.from({ length: 25 }, (_, i) => ({
          customer: `c${i}`,
          amountCents: 100 * (i + 1),
          // every fifth one was billed before: the worker must not touch it
          status: i % 5 === 0 ? 'billed' : 'open',
          billedCents: i % 5 === 0 ? 1 : null,
        })),
      );
      const lines: string[] = [];
      const report = await billOpenInvoices(db, 7, (line) => lines.push(line));
      expect(report).toEqual({ pages: 3, billed: 20 });
      expect(lines).toEqual([
        'page 1: billed 7 invoices',
        'page 2: billed 7 invoices',
        'page 3: billed 6 invoices',
      ]);
      const all = (await invoices.find({ orderBy: 'customer' })).items;
      expect(all.filter((i) => i.status === 'open')).toEqual([]);
      for (const invoice of all) {
        const before = Number(invoice.customer.slice(1)) % 5 === 0;
        expect(invoice.billedCents).toBe(before ? 1 : Math.round(invoice.amountCents * 1.2));
        // one write each: version 2 for those billed now, 1 for those billed before
        expect(invoice.version).toBe(before ? 1 : 2);
      }
      // A second run finds nothing open: one empty page, nothing written.
      expect(await billOpenInvoices(db, 7, () => undefined)).toEqual({ pages: 1, billed: 0 });
    } finally {
      await db.close();
    }
  });
});

describe('pnpm start', () => {
  it(`bills 250 sample invoices in 3 pages on DATABASE_URL (${startTarget.backend})`, async () => {
    const { code, output } = await runStart(fileURLToPath(new URL('..', import.meta.url)), {
      DATABASE_URL: startTarget.url,
    });
    expect(code, output).toBe(0);
    expect(output).toContain('page 3: billed 50 invoices');
    expect(output).toContain('done: 250 invoices in 3 pages');
  });
});
