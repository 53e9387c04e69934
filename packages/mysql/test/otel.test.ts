import { Database, sql } from '@berth/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret, otelCases, sqlStatements } from '../../core/test/otel/otel-cases.js';
import { recordSpans } from '../../core/test/otel/span-recorder.js';
import { MysqlDriver } from '../src/mysql-driver.js';
import { parseMysqlUrl } from '../src/mysql-url.js';
import { ServerProbe, TEST_URL, serverAvailable } from './support/test-server.js';

const url = new URL(TEST_URL);
const server = { address: url.hostname, port: Number(url.port || 3306) };

/** What the server is, from its `VERSION()` read outside berth: OpenTelemetry's name for it. */
async function serverSystem(): Promise<string> {
  const probe = new ServerProbe();
  try {
    const [row] = await probe.query<{ version: string }>('SELECT VERSION() AS version');
    return /mariadb/i.test(row!.version) ? 'mariadb' : 'mysql';
  } finally {
    await probe.close();
  }
}

async function openDatabase(config: { min?: number } = {}) {
  return Database.open(new MysqlDriver({ ...parseMysqlUrl(TEST_URL), max: 2, ...config }), {
    entities: [Secret],
    pool: { acquireTimeoutMs: 1_000 },
  });
}

describe.skipIf(!serverAvailable())('OpenTelemetry on MySQL/MariaDB', () => {
  let system = 'unknown until open';
  otelCases({
    name: 'mysql',
    // `mariadb` on MariaDB, without being told: the adapter reads the server's VERSION().
    get system() {
      return system;
    },
    // BEGIN is `START TRANSACTION`, reported by its first keyword.
    statements: sqlStatements({ quote: (name) => `\`${name}\``, begin: 'START' }),
    poolMax: 2,
    async open() {
      system = await serverSystem();
      const db = await openDatabase();
      await db.ensureSchema();
      return { db, url: TEST_URL, server };
    },
  });

  describe('what only this adapter does', () => {
    let db: Database;
    beforeAll(async () => {
      db = await openDatabase({ min: 0 });
      await db.ensureSchema();
    });
    afterAll(async () => {
      await db?.close();
    });

    it('db.system.name is what VERSION() says (mariadb on MariaDB), learnt on the first connection even when instrument came before it', async () => {
      const expected = await serverSystem();
      // No connection yet: the adapter does not know what it talks to.
      const fresh = await openDatabase({ min: 0 });
      const recorder = recordSpans(fresh, { url: TEST_URL });
      try {
        expect(fresh.serverSystem()).toBeUndefined();
        // The transaction's span starts before the connection that learns the server is opened.
        await fresh.transaction((tx) => tx.repository(Secret).count());
        expect(fresh.serverSystem()).toBe(expected);
        const spans = recorder.spans();
        expect(spans.map((s) => s.name).sort()).toEqual([
          'COMMIT',
          'SELECT otel_secrets',
          'START',
          'transaction',
        ]);
        for (const span of spans) expect(span.attributes['db.system.name'], span.name).toBe(expected);
        const metrics = await recorder.metricAttributes();
        for (const name of ['db.client.connection.count', 'db.client.connection.use_time'])
          for (const point of metrics.get(name)!) expect(point['db.system.name'], name).toBe(expected);
      } finally {
        await recorder.stop();
        await fresh.close();
      }
    });

    it('dbSystemName still wins over what the server says', async () => {
      const recorder = recordSpans(db, { url: TEST_URL, dbSystemName: 'tidb' });
      try {
        await db.repository(Secret).count();
        expect(recorder.spans().map((s) => s.attributes['db.system.name'])).toEqual(['tidb']);
      } finally {
        await recorder.stop();
      }
    });

    it('raw SQL: a double-quoted string (a value here, without ANSI_QUOTES) and a hexadecimal literal are redacted', async () => {
      await db.repository(Secret).insert({ owner: 'dq-secret-owner', token: 't' });
      const recorder = recordSpans(db, { url: TEST_URL });
      try {
        const rows =
          await db.sql`SELECT ${sql.id('owner')} FROM ${sql.id('otel_secrets')} WHERE owner = "dq-secret-owner" AND 0xBADC0DE > 0`;
        // The server read both as values: the row matched.
        expect(rows).toEqual([{ owner: 'dq-secret-owner' }]);
        const spans = recorder.spans();
        expect(spans.map((s) => s.name)).toEqual(['SELECT']);
        expect(String(spans[0]!.attributes['db.query.text'])).toBe(
          'SELECT `owner` FROM `otel_secrets` WHERE owner = ? AND ? > ?',
        );
        const everything = JSON.stringify(spans.map((s) => [s.attributes, s.events]));
        expect(everything).not.toContain('dq-secret');
        expect(everything).not.toContain('BADC0DE');
      } finally {
        await recorder.stop();
        await db.repository(Secret).deleteMany({});
      }
    });

    it('the one-packet update by id (START TRANSACTION; UPDATE; SELECT; COMMIT) is one span: placeholders, never the values written into the packet, and the one row it returns', async () => {
      const row = await db.repository(Secret).insert({ owner: 'one-trip', token: 'before' });
      const recorder = recordSpans(db, { url: TEST_URL });
      const secret = 'tok-ONE-TRIP-SECRET';
      try {
        const updated = await db.repository(Secret).update(row.id, { token: secret }, { expectedVersion: 1 });
        expect(updated).toMatchObject({ id: row.id, token: secret, version: 2 });
        const spans = recorder.spans();
        expect(spans.map((s) => s.name)).toEqual(['UPDATE otel_secrets']);
        const [span] = spans;
        const text = String(span!.attributes['db.query.text']);
        expect(text.split(';\n').map((s) => s.split(' ')[0])).toEqual([
          'START',
          'UPDATE',
          'SELECT',
          'COMMIT',
        ]);
        expect(text).toMatch(/`token` = \?/);
        // Neither the value, nor its hex as the packet carries it (`_utf8mb4 X'…'`), nor the row's id.
        const everything = JSON.stringify([span!.attributes, span!.events]);
        for (const value of [secret, Buffer.from(secret).toString('hex'), row.id])
          expect(everything).not.toContain(value);
        expect(everything.toLowerCase()).not.toContain(Buffer.from(secret).toString('hex'));
        expect(span!.attributes['db.operation.name']).toBe('UPDATE');
        expect(span!.attributes['db.response.returned_rows']).toBe(1);
      } finally {
        await recorder.stop();
        await db.repository(Secret).deleteMany({});
      }
    });
  });
});
