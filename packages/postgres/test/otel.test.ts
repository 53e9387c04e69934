import { Database } from '@berth/core';
import { Secret, otelCases, sqlStatements } from '../../core/test/otel/otel-cases.js';
import { PostgresDriver } from '../src/postgres-driver.js';
import { TEST_URL } from './support/server.js';

const url = new URL(TEST_URL);

otelCases({
  name: 'postgres',
  system: 'postgresql',
  statements: sqlStatements({ quote: (name) => `"${name}"`, begin: 'BEGIN' }),
  poolMax: 2,
  async open() {
    const db = await Database.open(new PostgresDriver({ url: TEST_URL, max: 2 }), {
      entities: [Secret],
      pool: { acquireTimeoutMs: 1_000 },
    });
    await db.ensureSchema();
    return { db, url: TEST_URL, server: { address: url.hostname, port: Number(url.port || 5432) } };
  },
});
