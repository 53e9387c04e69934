// Run: `pnpm start` (embedded PGlite in memory, with 250 sample invoices) or `DATABASE_URL=postgres://… pnpm start`.
import { connect } from '@berth/core';
import { Invoice, billOpenInvoices } from './worker.js';

const db = await connect(process.env.DATABASE_URL ?? 'pglite://memory', {
  entities: [Invoice],
  importAdapter: (name) => import(name), // load the adapter from this package, where it is installed
});
try {
  await db.ensureSchema();
  if ((await db.repository(Invoice).count()) === 0) {
    const samples = Array.from({ length: 250 }, (_, i) => ({
      customer: `customer ${i}`,
      amountCents: 1_000 + i,
      status: 'open',
    }));
    await db.repository(Invoice).insertMany(samples);
  }
  const report = await billOpenInvoices(db, 100);
  console.log(`done: ${report.billed} invoices in ${report.pages} pages`);
} finally {
  await db.close();
}
