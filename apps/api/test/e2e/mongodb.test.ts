import { MongoTestServer } from '@berth/mongo-test-server';
import { runApiSuite } from './api-suite.js';

let server: MongoTestServer | undefined;
/** The `afterClusterTime` of the last `find` of each collection the server received (`undefined`: none). */
const lastAfter = new Map<string, readonly [number, number] | undefined>();

runApiSuite({
  name: 'mongodb',
  // The in-process test server, a one-member replica set, so units of work get real transactions, and
  // causal sessions run through the driver's sessions.
  setup: async () => {
    server = await MongoTestServer.start({ port: 0 });
    server.setCommandHook(({ name, command }) => {
      if (name === 'find' && typeof command.find === 'string') {
        const after = command.readConcern?.afterClusterTime as { t: number; i: number } | undefined;
        lastAfter.set(command.find, after === undefined ? undefined : [after.t, after.i]);
      }
      return undefined;
    });
  },
  databaseUrl: () => server!.databaseUrl(`berth_api${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`),
  causal: {
    tokenPattern: /^mongodb\.\d+\.\d+\.\d+\.\d+\.\d+\.[A-Za-z0-9_-]*$/,
    foreignToken: 'postgres.0/16B3748',
    operationTime: (token) => {
      const [, t, i] = token.split('.');
      return [Number(t), Number(i)];
    },
    lastAfterClusterTime: (collection) => lastAfter.get(collection),
  },
  teardown: async () => {
    await server?.stop();
  },
});
