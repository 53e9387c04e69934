import type { ResolvedTls } from '@berth/sql';
import { describe, expect, it } from 'vitest';
import { mysql2PoolOptions, statementBoundMs } from './mysql-driver-config.js';

describe('mysql2PoolOptions', () => {
  it('fixes the settings berth relies on', () => {
    expect(mysql2PoolOptions({}, 10)).toMatchObject({
      timezone: 'Z',
      dateStrings: false,
      supportBigNumbers: true,
      bigNumberStrings: false,
      decimalNumbers: false,
      jsonStrings: true,
      charset: 'utf8mb4',
      flags: ['FOUND_ROWS'],
      multipleStatements: true,
      namedPlaceholders: false,
    });
  });

  it("maps resolved TLS options onto mysql2's ssl, checking an IP address itself under verify-full", () => {
    expect(mysql2PoolOptions({}, 1).ssl).toBeUndefined();
    expect(mysql2PoolOptions({}, 1, false).ssl).toBeUndefined();
    const full: ResolvedTls = {
      mode: 'verify-full',
      verifyChain: true,
      verifyHost: true,
      ca: ['CA'],
      cert: 'C',
      key: 'K',
    };
    const byName = mysql2PoolOptions({ host: 'db.example' }, 1, full);
    expect(byName.ssl).toEqual({
      ca: ['CA'],
      cert: 'C',
      key: 'K',
      rejectUnauthorized: true,
      verifyIdentity: true,
    });
    // mysql2 checks a name itself; for an address berth makes the socket (see ipSocket).
    expect(byName.stream).toBeUndefined();
    expect(typeof mysql2PoolOptions({ host: '10.0.0.7' }, 1, full).stream).toBe('function');
    const required = mysql2PoolOptions({ host: '10.0.0.7' }, 1, {
      mode: 'require',
      verifyChain: false,
      verifyHost: false,
    });
    expect(required.ssl).toEqual({ rejectUnauthorized: false, verifyIdentity: false });
    expect(required.stream).toBeUndefined();
  });

  it('maps the pool options, keeping mysql2 from reaping idle connections or queueing without bound', () => {
    const options = mysql2PoolOptions(
      {
        host: 'db',
        port: 3307,
        user: 'app',
        password: 'secret',
        database: 'shop',
        idleTimeoutMs: 5_000,
        connectTimeoutMs: 1_000,
        enableKeepAlive: false,
        keepAliveInitialDelay: 3_000,
        applicationName: 'orders',
      },
      4,
    );
    expect(options).toMatchObject({
      host: 'db',
      port: 3307,
      user: 'app',
      password: 'secret',
      database: 'shop',
      connectionLimit: 4,
      maxIdle: 4,
      idleTimeout: 5_000,
      queueLimit: 4,
      connectTimeout: 1_000,
      enableKeepAlive: false,
      keepAliveInitialDelay: 3_000,
      connectAttributes: { program_name: 'orders' },
    });
    expect(mysql2PoolOptions({ queueLimit: 100 }, 4).queueLimit).toBe(100);
  });
});

describe('statementBoundMs', () => {
  it('is 8 % past the statement timeout, between 40 ms and 1 s, or none without a timeout', () => {
    expect(statementBoundMs(undefined)).toBeUndefined();
    expect(statementBoundMs(0)).toBeUndefined();
    expect(statementBoundMs(100)).toBe(140);
    expect(statementBoundMs(1_000)).toBe(1_080);
    expect(statementBoundMs(700.5)).toBe(757);
    expect(statementBoundMs(60_000)).toBe(61_000);
    // Within the contract's + 10 % for every statement timeout of 500 ms or more.
    for (const ms of [500, 700, 1_000, 5_000, 30_000])
      expect(statementBoundMs(ms)).toBeLessThanOrEqual(ms * 1.1);
  });
});
