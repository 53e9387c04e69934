import { Database } from '@berth/core';
import { Secret, otelCases } from '../../core/test/otel/otel-cases.js';
import { PostgresDriver } from '../src/postgres-driver.js';
import { TEST_URL } from './support/server.js';

const url = new URL(TEST_URL);

otelCases({
  name: 'postgres',
  system: 'postgresql',
  poolMax: 2,
  server: { address: url.hostname, port: Number(url.port || 5432) },
  async open() {
    const db = await Database.open(new PostgresDriver({ url: TEST_URL, max: 2 }), {
      entities: [Secret],
      pool: { acquireTimeoutMs: 1_000 },
    });
    await db.ensureSchema();
    return { db, url: TEST_URL };
  },
});
