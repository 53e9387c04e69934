// Run: `pnpm start` (embedded PGlite in memory) or `DATABASE_URL=postgres://… PORT=3001 pnpm start`.
import { connect } from '@berth/core';
import { Order, Product, buildService } from './service.js';

const db = await connect(process.env.DATABASE_URL ?? 'pglite://memory', {
  entities: [Product, Order],
  pool: { max: 10, acquireTimeoutMs: 2_000 }, // a request waits at most 2 s for a connection
  importAdapter: (name) => import(name), // load the adapter from this package, where it is installed
});
await db.ensureSchema();
if ((await db.repository(Product).count()) === 0) {
  await db.repository(Product).insert({ name: 'teapot', stock: 3 });
}

const app = buildService(db);
// Close the HTTP server first (requests in flight finish), then the pool.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => db.close());
  });
}
const address = await app.listen({ port: Number(process.env.PORT ?? 3001), host: '127.0.0.1' });
console.log(`listening on ${address}: try curl ${address}/products`);
