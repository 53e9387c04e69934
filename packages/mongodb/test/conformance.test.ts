import { Database, connect } from '@berth/core';
import type { MongoTestServer } from '@berth/mongo-test-server';
import { type ConformanceTarget, runConformanceSuite, TcpProxy } from '@berth/testkit';
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
  /** Sessions whose reply `dropNextCommitReply` dropped (see `serverConnections`). */
  const dirtied = new Set<string>();
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
    async openThroughProxy({ entities, pool }) {
      const proxy = await TcpProxy.start({ host: server.host, port: server.port });
      const url = new URL(databaseUrl(server));
      url.host = `127.0.0.1:${proxy.port}`;
      const driver = new MongoDriver(url.href, { ...pool, applicationName: 'berth-conformance' });
      drivers.push(driver);
      return { db: await Database.open(driver, { entities, pool }), proxy };
    },
    async serverConnections() {
      // After a network error the driver drops the session as dirty without ending it on the server
      // (the sessions spec), where mongod expires it after 30 minutes; the test server never does, so a
      // session this target made dirty is ended here, as mongod's expiry would, once berth let go of it.
      const held = new Set(drivers.flatMap((d) => d.connections()).map((c) => c.sessionId));
      for (const id of dirtied) {
        if (held.has(id)) continue;
        dirtied.delete(id);
        server.killSession(id);
      }
      return server.sessionCount;
    },
    async openTransactions() {
      return server.openTransactionCount;
    },
    async dropNextCommitReply(what) {
      // The test server runs the command, then closes the socket instead of replying: a lost reply.
      let armed: string | undefined = what === 'transaction' ? 'commitTransaction' : 'insert';
      server.setCommandHook((info) => {
        if (info.name !== armed) return undefined;
        armed = undefined;
        const lsid = (info.command as { lsid?: { id?: { buffer?: Uint8Array } } }).lsid?.id?.buffer;
        if (lsid) dirtied.add(Buffer.from(lsid).toString('hex'));
        return { dropReply: true };
      });
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
