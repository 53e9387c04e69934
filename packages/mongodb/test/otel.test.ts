import { Database } from '@berth/core';
import type { MongoTestServer } from '@berth/mongo-test-server';
import { afterAll } from 'vitest';
import { Secret, otelCases } from '../../core/test/otel/otel-cases.js';
import { MongoDriver } from '../src/index.js';
import { databaseUrl, startServer } from './support/test-server.js';

// A replica-set primary: the transaction and flush cases need MongoDB transactions.
let server: MongoTestServer | undefined;
afterAll(async () => {
  await server?.stop();
});

otelCases({
  name: 'mongodb',
  system: 'mongodb',
  statements: {
    insert: 'insert',
    find: 'find',
    count: 'countDocuments',
    update: 'updateOne',
    // A command's text is its name and collection: no filter, update or document ever reaches it.
    insertText: 'insert otel_secrets',
    begin: 'startTransaction',
    commit: 'commitTransaction',
    rollback: 'abortTransaction',
    savepoint: { unsupported: 'MongoDB has no savepoints: a nested transaction runs in the outer one' },
    rawSql: { unsupported: 'MongoDB has no SQL: db.sql throws UnsupportedFeatureError' },
  },
  poolMax: 2,
  async open() {
    server = await startServer();
    const url = databaseUrl(server);
    const db = await Database.open(new MongoDriver(url, { max: 2 }), {
      entities: [Secret],
      pool: { acquireTimeoutMs: 1_000 },
    });
    await db.ensureSchema();
    return { db, url, server: { address: new URL(url).hostname, port: server.port } };
  },
});
