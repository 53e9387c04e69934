import { MongoTestServer } from '@berth/mongo-test-server';
import { runApiSuite } from './api-suite.js';

let server: MongoTestServer | undefined;

runApiSuite({
  name: 'mongodb',
  // The in-process test server, a one-member replica set, so units of work get real transactions.
  setup: async () => {
    server = await MongoTestServer.start({ port: 0 });
  },
  databaseUrl: () => server!.databaseUrl(`berth_api${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`),
  teardown: async () => {
    await server?.stop();
  },
});
