import { MongoTestServer } from '@berth/mongo-test-server';
import { runApiSuite } from './api-suite.js';

/** `@berth/mongodb` is being written alongside; until it loads, the suite says so loudly and skips. */
const ADAPTER = '@berth/mongodb';
const adapterReady = await import(/* @vite-ignore */ ADAPTER).then(
  (module: { adapter?: unknown }) => Boolean(module.adapter),
  () => false,
);
if (!adapterReady) {
  console.warn('\n!!!!!!!! apps/api e2e on mongodb SKIPPED: @berth/mongodb does not load yet !!!!!!!!\n');
}

let server: MongoTestServer | undefined;

runApiSuite({
  name: 'mongodb',
  skip: !adapterReady,
  // The in-process test server, a one-member replica set, so units of work get real transactions.
  setup: async () => {
    server = await MongoTestServer.start({ port: 0 });
  },
  databaseUrl: () => server!.url.replace('/?', '/berth_api?'),
  teardown: async () => {
    await server?.stop();
  },
});
