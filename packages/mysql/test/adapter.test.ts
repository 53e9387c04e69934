import { ADAPTER_PACKAGES, connect, ValidationError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { adapter } from '../src/index.js';
import { MysqlDriver } from '../src/mysql-driver.js';
import { Employee } from './support/fixtures.js';
import { TEST_URL, serverAvailable } from './support/test-server.js';

describe('adapter', () => {
  it('serves mysql:// and mariadb:// with a MysqlDriver', () => {
    expect(adapter.backend).toBe('mysql');
    expect(
      Object.keys(ADAPTER_PACKAGES).filter((s) => ADAPTER_PACKAGES[s]?.package === '@berth/mysql'),
    ).toEqual(['mysql', 'mariadb']);
    const driver = adapter.createDriver('mariadb://app:pw@localhost:3307/shop', { max: 7 });
    expect(driver).toBeInstanceOf(MysqlDriver);
    expect((driver as MysqlDriver).max).toBe(7);
    expect(driver).toMatchObject({
      backend: 'mysql',
      capabilities: { transactions: true, savepoints: true },
    });
  });

  it('refuses impossible pool sizes and session options up front', () => {
    expect(() => adapter.createDriver('mysql://localhost/db', { max: 0 })).toThrow(ValidationError);
    expect(() => adapter.createDriver('mysql://localhost/db', { max: 2, min: 3 })).toThrow(ValidationError);
    expect(() => adapter.createDriver('mysql://localhost/db', { statementTimeoutMs: -5 })).toThrow(
      ValidationError,
    );
  });

  it.each([
    'idleTimeoutMs',
    'maxLifetimeMs',
    'connectTimeoutMs',
    'statementTimeoutMs',
    'acquireTimeoutMs',
    'keepAliveInitialDelay',
    'sweepIntervalMs',
  ])(
    'refuses %s past 2^31 - 1 ms (Node would fire it after 1 ms) with a ValidationError naming it',
    (name) => {
      for (const value of [2 ** 31, Number.POSITIVE_INFINITY, -1]) {
        expect(() => adapter.createDriver('mysql://localhost/db', { [name]: value })).toThrow(
          ValidationError,
        );
        expect(() => adapter.createDriver('mysql://localhost/db', { [name]: value })).toThrow(
          new RegExp(`^${name} must`),
        );
      }
      expect(() => adapter.createDriver('mysql://localhost/db', { [name]: 2 ** 31 - 1 })).not.toThrow();
    },
  );

  it.skipIf(!serverAvailable())('is what connect() loads for both schemes', async () => {
    for (const url of [TEST_URL, TEST_URL.replace(/^mysql:/, 'mariadb:')]) {
      const db = await connect(url, {
        entities: [Employee],
        pool: { max: 2 },
        importAdapter: () => import('../src/index.js'),
      });
      try {
        expect(db.backend).toBe('mysql');
        await db.ping();
        expect(db.pool.stats()).toMatchObject({ max: 2, total: 1 });
      } finally {
        await db.close();
      }
    }
  });
});
