// Run: `pnpm start` (embedded PGlite in memory) or `DATABASE_URL=postgres://… pnpm start`.
import { connect } from '@berth/core';
import { Book, tour } from './catalog.js';

const db = await connect(process.env.DATABASE_URL ?? 'pglite://memory', {
  entities: [Book],
  // Load the adapter (@berth/pglite, @berth/postgres, …) from this package, where it is installed.
  importAdapter: (name) => import(name),
});
try {
  await db.ensureSchema(); // creates the table and its indexes if they do not exist
  await tour(db);
} finally {
  await db.close();
}
