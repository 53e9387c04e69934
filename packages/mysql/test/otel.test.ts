import { Database } from '@berth/core';
import { describe } from 'vitest';
import { Secret, otelCases, sqlStatements } from '../../core/test/otel/otel-cases.js';
import { MysqlDriver } from '../src/mysql-driver.js';
import { parseMysqlUrl } from '../src/mysql-url.js';
import { TEST_URL, serverAvailable } from './support/test-server.js';

const url = new URL(TEST_URL);

describe.skipIf(!serverAvailable())('OpenTelemetry on MySQL/MariaDB', () => {
  otelCases({
    name: 'mysql',
    system: 'mysql',
    // BEGIN is `START TRANSACTION`, reported by its first keyword.
    statements: sqlStatements({ quote: (name) => `\`${name}\``, begin: 'START' }),
    poolMax: 2,
    async open() {
      const db = await Database.open(new MysqlDriver({ ...parseMysqlUrl(TEST_URL), max: 2 }), {
        entities: [Secret],
        pool: { acquireTimeoutMs: 1_000 },
      });
      await db.ensureSchema();
      return { db, url: TEST_URL, server: { address: url.hostname, port: Number(url.port || 3306) } };
    },
  });
});
