import { Database } from '@berth/core';
import { PGlite } from '@electric-sql/pglite';
import { Secret, otelCases, sqlStatements } from '../../core/test/otel/otel-cases.js';
import { PGliteDriver } from '../src/index.js';

otelCases({
  name: 'pglite',
  system: 'postgresql',
  statements: sqlStatements({ quote: (name) => `"${name}"`, begin: 'BEGIN' }),
  poolMax: 1,
  async open() {
    const db = await Database.open(new PGliteDriver({ pglite: new PGlite() }), {
      entities: [Secret],
      pool: { acquireTimeoutMs: 1_000 },
    });
    await db.ensureSchema();
    return { db };
  },
});
