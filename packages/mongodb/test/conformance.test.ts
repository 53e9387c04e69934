import { Database, connect } from '@berth/core';
import type { MongoTestServer } from '@berth/mongo-test-server';
import { type ConformanceTarget, runConformanceSuite } from '@berth/testkit';
import { MongoClient } from 'mongodb';
import { MongoDriver } from '../src/index.js';
import { TEST_DATABASE, databaseUrl, startServer, withId } from './support/test-server.js';

/**
 * The conformance suite against the in-memory test server, through the real driver. A berth connection
 * on MongoDB is a logical session, so the server-side truth the suite compares with the pool is the
 * server's count of live sessions (every command of a berth connection carries its session), and
 * killing a connection kills its session server-side: its later commands meet a closed socket, the
 * network error a dead connection gives. Raw reads go to the server's storage, so the suite's own
 * read-back opens no sessions.
 */
function testServerTarget(name: string): ConformanceTarget {
  let server: MongoTestServer;
  const drivers: MongoDriver[] = [];
  return {
    name,
    async setup() {
      server = await startServer();
    },
    async teardown() {
      await server.stop();
    },
    async open({ entities, pool, ...events }: Parameters<ConformanceTarget['open']>[0]) {
      const driver = new MongoDriver(databaseUrl(server), { ...pool, applicationName: 'berth-conformance' });
      drivers.push(driver);
      return Database.open(driver, { entities, pool, ...events });
    },
    async serverConnections() {
      return server.sessionCount;
    },
    async openTransactions() {
      return server.openTransactionCount;
    },
    async killConnection(connectionId: string) {
      const connection = drivers.flatMap((d) => d.connections()).find((c) => c.id === connectionId);
      if (!connection?.sessionId) throw new Error(`no open MongoDB connection ${connectionId}`);
      server.killSession(connection.sessionId);
    },
    async readRaw(collection: string) {
      return server.documents(TEST_DATABASE, collection).map(withId);
    },
  };
}

runConformanceSuite(testServerTarget('mongodb (test server)'));
// Not run against the standalone test server: the suite seeds its data with multi-row insertMany, which
// a deployment without transactions refuses by design (TransactionsUnsupportedError, see
// test/standalone.test.ts, which checks the suite's own "without transactions" case and more).

/**
 * The same suite against a real MongoDB (a replica set for the transaction cases) when `MONGODB_URL`
 * names one, through `connect()`. The server-side hooks are left out: MongoDB has no command that
 * closes another client's connection, and its session counts include every other client.
 */
const realUrl = process.env.MONGODB_URL;
if (realUrl) {
  const DATABASE = `berth_conformance${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
  const raw = new MongoClient(realUrl);
  runConformanceSuite({
    name: 'mongodb (MONGODB_URL)',
    async setup() {
      await raw.connect();
      await raw.db(DATABASE).dropDatabase();
    },
    async teardown() {
      await raw.db(DATABASE).dropDatabase();
      await raw.close();
    },
    open({ entities, pool, ...events }) {
      return connect(realUrl, {
        entities,
        ...events,
        // `database` is a MongoDB driver option that connect() passes through to the adapter.
        pool: { ...pool, database: DATABASE } as typeof pool,
        importAdapter: () => import('../src/index.js'),
      });
    },
    async openTransactions() {
      const status = await raw.db('admin').command({ serverStatus: 1 });
      return Number(status.transactions?.currentOpen ?? 0);
    },
    async readRaw(collection) {
      return (await raw.db(DATABASE).collection(collection).find().toArray()).map(withId);
    },
  });
} else {
  console.info('MONGODB_URL is not set: the conformance suite runs against the in-memory test server only');
}
