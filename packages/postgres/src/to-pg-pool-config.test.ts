import { ValidationError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { queryTimeoutMarginMs, statementBoundMs } from './postgres-driver-config.js';
import { toPgPoolConfig } from './to-pg-pool-config.js';

const URL = 'postgres://u:p@db:5432/app?sslmode=require';

describe('toPgPoolConfig', () => {
  it('maps the defaults: keepalive on, application_name falls back to "berth", no statement timeout', () => {
    expect(toPgPoolConfig(URL, {})).toEqual({
      connectionString: URL,
      max: 10,
      min: 0,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 5_000,
      maxLifetimeSeconds: 1_800,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      fallback_application_name: 'berth',
    });
  });

  it('sets ssl from resolved TLS options, checked against the URL host; leaves it unset when none', () => {
    expect(toPgPoolConfig(URL, {}).ssl).toBeUndefined();
    expect(toPgPoolConfig(URL, {}, false).ssl).toBe(false);
    const ssl = toPgPoolConfig(
      'postgres://u@[::1]:5432/app',
      {},
      {
        mode: 'verify-full',
        verifyChain: true,
        verifyHost: true,
        ca: ['CA'],
      },
    ).ssl;
    expect(ssl).toMatchObject({ rejectUnauthorized: true, ca: ['CA'] });
    const cert = { subject: {}, subjectaltname: 'IP Address:0:0:0:0:0:0:0:1' };
    if (!ssl) throw new Error('expected TLS options');
    expect(ssl.checkServerIdentity('localhost', cert as never)).toBeUndefined();
    const bare = toPgPoolConfig(URL, {}, { mode: 'require', verifyChain: false, verifyHost: false }).ssl;
    expect(bare).toMatchObject({ rejectUnauthorized: false });
  });

  it('maps every driver option', () => {
    expect(
      toPgPoolConfig(URL, {
        max: 5,
        min: 2,
        idleTimeoutMs: 1_000,
        connectTimeoutMs: 250,
        maxLifetimeMs: 1_500,
        statementTimeoutMs: 300,
        applicationName: 'orders',
        keepAliveInitialDelayMs: 2_000,
      }),
    ).toMatchObject({
      max: 5,
      min: 2,
      idleTimeoutMillis: 1_000,
      connectionTimeoutMillis: 250,
      maxLifetimeSeconds: 2,
      statement_timeout: 300,
      application_name: 'orders',
      keepAliveInitialDelayMillis: 2_000,
    });
  });

  it("bounds each statement a twentieth past the statement timeout, between 20 ms and 1 s, with berth's timer, not pg's query_timeout", () => {
    expect(queryTimeoutMarginMs(100)).toBe(20);
    expect(queryTimeoutMarginMs(1_000)).toBe(50);
    expect(queryTimeoutMarginMs(5_001)).toBe(251);
    expect(queryTimeoutMarginMs(60_000)).toBe(1_000);
    expect(statementBoundMs(1_000)).toBe(1_050);
    expect(statementBoundMs(3_600_000)).toBe(3_601_000);
    expect(statementBoundMs(299.5)).toBe(320);
    expect(statementBoundMs(0)).toBeUndefined();
    expect(statementBoundMs(undefined)).toBeUndefined();
    // Within the contract's + 10 % for every statement timeout of 200 ms or more.
    for (const ms of [200, 250, 1_000, 5_000, 30_000]) {
      expect(statementBoundMs(ms)).toBeLessThanOrEqual(ms * 1.1);
    }
    // pg's own timer would fire first on a busy event loop (see withinStatementBound).
    expect(toPgPoolConfig(URL, { statementTimeoutMs: 1_000 })).not.toHaveProperty('query_timeout');
  });

  it('reads a lifetime of 0 as none, and a statement timeout of 0 as none', () => {
    const config = toPgPoolConfig(URL, { maxLifetimeMs: 0, statementTimeoutMs: 0 });
    expect(config.maxLifetimeSeconds).toBe(0);
    expect(config).not.toHaveProperty('statement_timeout');
    expect(config).not.toHaveProperty('query_timeout');
  });

  it('rounds fractions up, so no duration becomes pg’s 0 = never', () => {
    expect(toPgPoolConfig(URL, { idleTimeoutMs: 0.5, maxLifetimeMs: 10 })).toMatchObject({
      idleTimeoutMillis: 1,
      maxLifetimeSeconds: 1,
    });
  });

  it.each([
    [{ max: 0 }, /max/],
    [{ max: 2.5 }, /max/],
    [{ min: -1 }, /min/],
    [{ max: 2, min: 3 }, /must not exceed/],
  ])('refuses %o', (options, message) => {
    expect(() => toPgPoolConfig(URL, options)).toThrow(RangeError);
    expect(() => toPgPoolConfig(URL, options)).toThrow(message);
  });

  it.each([
    [{ idleTimeoutMs: 0 }, /^idleTimeoutMs must be at least 1/],
    [{ connectTimeoutMs: Number.POSITIVE_INFINITY }, /^connectTimeoutMs must be a finite/],
    [{ statementTimeoutMs: -5 }, /^statementTimeoutMs must be at least 0/],
    [{ maxLifetimeMs: Number.NaN }, /^maxLifetimeMs must be a finite/],
    // Past Node's timer limit a timeout fires after 1 ms, again and again: refused, not clamped.
    [{ idleTimeoutMs: 2 ** 31 }, /^idleTimeoutMs must be at most 2147483647/],
    [{ connectTimeoutMs: 2 ** 31 }, /^connectTimeoutMs must be at most/],
    [{ statementTimeoutMs: 2 ** 31 }, /^statementTimeoutMs must be at most/],
    [{ maxLifetimeMs: 2 ** 31 }, /^maxLifetimeMs must be at most/],
    [{ keepAliveInitialDelayMs: 2 ** 31 }, /^keepAliveInitialDelayMs must be at most/],
    [{ keepAliveInitialDelayMs: -1 }, /^keepAliveInitialDelayMs must be at least 0/],
  ])('refuses the duration %o with a ValidationError naming it', (options, message) => {
    expect(() => toPgPoolConfig(URL, options)).toThrow(ValidationError);
    expect(() => toPgPoolConfig(URL, options)).toThrow(message);
  });

  it('accepts the longest duration Node can time', () => {
    expect(toPgPoolConfig(URL, { idleTimeoutMs: 2 ** 31 - 1 }).idleTimeoutMillis).toBe(2 ** 31 - 1);
  });
});
