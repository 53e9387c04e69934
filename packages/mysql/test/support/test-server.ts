import { type Connection, createConnection } from 'mysql2/promise';
import { inject } from 'vitest';

import { SERVER_URL, TEST_DATABASE } from './test-env.js';

export { SERVER_URL, TEST_DATABASE, TEST_URL } from './test-env.js';

/** Whether the global setup reached the server (false only outside CI). */
export function serverAvailable(): boolean {
  return inject('mysqlAvailable');
}

/**
 * A plain mysql2 connection for looking at the server from outside berth. It selects no database, so it
 * never shows up among the test database's sessions in the process list.
 */
export async function adminConnection(server = SERVER_URL): Promise<Connection> {
  const url = new URL(server);
  return createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
    timezone: 'Z',
    supportBigNumbers: true,
    decimalNumbers: false,
    jsonStrings: true,
  });
}

/** InnoDB's `innodb_trx` cache lifetime, plus a margin. */
const INNODB_TRX_CACHE_MS = 120;

/** Server-side views of the test database (or another, on another server), through one admin connection. */
export class ServerProbe {
  #connection: Connection | undefined;
  #lastTrxRead = Number.NEGATIVE_INFINITY;

  constructor(
    readonly server = SERVER_URL,
    readonly database = TEST_DATABASE,
  ) {}

  async #admin(): Promise<Connection> {
    this.#connection ??= await adminConnection(this.server);
    return this.#connection;
  }

  async query<T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> {
    const [rows] = await (await this.#admin()).query(sql, values);
    return rows as T[];
  }

  /** Thread ids of the sessions using the test database (`information_schema.processlist`). */
  async sessionIds(): Promise<string[]> {
    const rows = await this.query<{ id: number }>(
      'SELECT ID AS id FROM information_schema.processlist WHERE DB = ? ORDER BY ID',
      [this.database],
    );
    return rows.map((row) => String(row.id));
  }

  /** How many sessions use the test database. */
  async serverConnections(): Promise<number> {
    return (await this.sessionIds()).length;
  }

  /**
   * InnoDB transactions of sessions using the test database (`information_schema.innodb_trx`). InnoDB
   * serves that table from a cache refreshed only when it was not read for 100 ms, so a caller polling it
   * faster would read the same stale rows forever: reads are spaced out here.
   */
  async transactions(): Promise<{ thread: number; state: string }[]> {
    const wait = this.#lastTrxRead + INNODB_TRX_CACHE_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    try {
      return await this.query<{ thread: number; state: string }>(
        'SELECT t.trx_mysql_thread_id AS thread, t.trx_state AS state FROM information_schema.innodb_trx t ' +
          'JOIN information_schema.processlist p ON p.ID = t.trx_mysql_thread_id WHERE p.DB = ?',
        [this.database],
      );
    } finally {
      this.#lastTrxRead = performance.now();
    }
  }

  /** How many transactions are open in sessions of the test database. */
  async openTransactions(): Promise<number> {
    return (await this.transactions()).length;
  }

  /** `KILL CONNECTION`; a session that already ended is not an error. */
  async kill(id: string): Promise<void> {
    try {
      await this.query(`KILL CONNECTION ${Number(id)}`);
    } catch (error) {
      if ((error as { errno?: number }).errno !== 1094) throw error; // ER_NO_SUCH_THREAD
    }
  }

  /** Every row of a table of the test database, raw. */
  async readRaw(table: string): Promise<Record<string, unknown>[]> {
    return this.query(`SELECT * FROM \`${this.database}\`.\`${table.replaceAll('`', '``')}\``);
  }

  async close(): Promise<void> {
    await this.#connection?.end().catch(() => undefined);
    this.#connection = undefined;
  }
}
