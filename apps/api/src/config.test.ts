import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('uses the contract defaults', () => {
    expect(loadConfig({})).toEqual({
      databaseUrl: 'pglite://memory',
      replicaUrls: [],
      port: 3000,
      host: '127.0.0.1',
      poolMax: 10,
      acquireTimeoutMs: 2000,
      statementTimeoutMs: 10000,
      logLevel: 'info',
      idempotencyTtlSeconds: 86_400,
    });
  });

  it('reads DATABASE_REPLICA_URLS: comma-separated URLs of the same kind of database as DATABASE_URL', () => {
    const primary = 'postgres://u@primary/app';
    expect(
      loadConfig({
        DATABASE_URL: primary,
        DATABASE_REPLICA_URLS: ' postgresql://u@r1/app , postgres://u@r2/app',
      }).replicaUrls,
    ).toEqual(['postgresql://u@r1/app', 'postgres://u@r2/app']);
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: '' }).replicaUrls).toEqual([]);
    for (const bad of ['mysql://r/app', 'postgres://r/app,,postgres://s/app', 'nonsense']) {
      expect(() => loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URLS: bad }), bad).toThrow(
        /DATABASE_REPLICA_URLS/,
      );
    }
  });

  it('reads IDEMPOTENCY_TTL_S, 1 s to a year, plain digits only', () => {
    expect(loadConfig({ IDEMPOTENCY_TTL_S: '60' }).idempotencyTtlSeconds).toBe(60);
    expect(loadConfig({ IDEMPOTENCY_TTL_S: '' }).idempotencyTtlSeconds).toBe(86_400);
    for (const bad of ['0', '31536001', '1e3', '-5', '1.5']) {
      expect(() => loadConfig({ IDEMPOTENCY_TTL_S: bad }), bad).toThrow(/IDEMPOTENCY_TTL_S/);
    }
  });

  it('reads every variable, and treats an empty one as unset', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/x',
      PORT: '8080',
      HOST: '0.0.0.0',
      DB_POOL_MAX: '3',
      DB_ACQUIRE_TIMEOUT_MS: '500',
      DB_STATEMENT_TIMEOUT_MS: '250',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      poolMax: 3,
      acquireTimeoutMs: 500,
      logLevel: 'debug',
    });
    expect(loadConfig({ PORT: '', DB_POOL_MAX: ' ' })).toMatchObject({ port: 3000, poolMax: 10 });
  });

  it('accepts every scheme the contract names', () => {
    for (const url of [
      'postgresql://x',
      'mysql://x',
      'mariadb://x',
      'mongodb://x',
      'mongodb+srv://x',
      'pglite://./data',
    ]) {
      expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    }
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '65536'],
    ['PORT', '80.5'],
    ['DB_POOL_MAX', '0'],
    ['DB_POOL_MAX', '1e2'],
    ['DB_ACQUIRE_TIMEOUT_MS', '-5'],
    ['DB_STATEMENT_TIMEOUT_MS', '0x10'],
    ['LOG_LEVEL', 'verbose'],
    ['DATABASE_URL', 'foo://x'],
    ['DATABASE_URL', 'just-text'],
  ])('refuses %s=%s with a one-line message naming it', (name, value) => {
    const attempt = () => loadConfig({ [name]: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(name);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });
});
