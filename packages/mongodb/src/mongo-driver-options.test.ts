import { ValidationError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { statementBoundMs, statementTimeout, toMongoClientOptions } from './mongo-driver-options.js';

describe('toMongoClientOptions', () => {
  it('maps every pool option onto its driver counterpart', () => {
    expect(
      toMongoClientOptions({
        max: 7,
        min: 2,
        idleTimeoutMs: 1_234,
        acquireTimeoutMs: 567,
        connectTimeoutMs: 890,
        applicationName: 'app',
      }),
    ).toEqual({
      keepAliveInitialDelay: 10_000,
      maxPoolSize: 7,
      minPoolSize: 2,
      maxConnecting: 2,
      maxIdleTimeMS: 1_234,
      waitQueueTimeoutMS: 567,
      connectTimeoutMS: 890,
      serverSelectionTimeoutMS: 890,
      appName: 'app',
    });
  });

  it('bounds every wait by default (the driver itself waits for a socket forever and selects for 30 s)', () => {
    const options = toMongoClientOptions({});
    expect(options).toMatchObject({
      maxPoolSize: 10,
      minPoolSize: 0,
      waitQueueTimeoutMS: 5_000,
      serverSelectionTimeoutMS: 5_000,
    });
    // The idle timeout is never used as the wait-queue timeout.
    expect(toMongoClientOptions({ idleTimeoutMs: 99 }).waitQueueTimeoutMS).toBe(5_000);
  });

  it('lets clientOptions add settings but never override the pool bounds', () => {
    const options = toMongoClientOptions({
      max: 3,
      clientOptions: { maxPoolSize: 100, tls: false, waitQueueTimeoutMS: 0 },
    });
    expect(options).toMatchObject({ maxPoolSize: 3, tls: false, waitQueueTimeoutMS: 5_000 });
  });

  it('refuses impossible values', () => {
    for (const options of [
      { max: 0 },
      { max: 1.5 },
      { min: -1 },
      { min: 3, max: 2 },
      { acquireTimeoutMs: 0 },
      { connectTimeoutMs: Number.NaN },
    ]) {
      expect(() => toMongoClientOptions(options)).toThrow(ValidationError);
    }
  });

  it.each(['idleTimeoutMs', 'maxLifetimeMs', 'connectTimeoutMs', 'statementTimeoutMs', 'acquireTimeoutMs'])(
    'refuses %s past 2^31 - 1 ms (Node would fire it after 1 ms), infinite or negative, naming it',
    (name) => {
      for (const value of [2 ** 31, Number.POSITIVE_INFINITY, -1]) {
        expect(() => toMongoClientOptions({ [name]: value })).toThrow(ValidationError);
        expect(() => toMongoClientOptions({ [name]: value })).toThrow(new RegExp(`^${name} must`));
      }
    },
  );

  it('turns TCP keepalive probes on after 10 s of silence unless clientOptions says otherwise', () => {
    expect(toMongoClientOptions({}).keepAliveInitialDelay).toBe(10_000);
    expect(
      toMongoClientOptions({ clientOptions: { keepAliveInitialDelay: 3_000 } }).keepAliveInitialDelay,
    ).toBe(3_000);
  });

  it('statementTimeoutMs: absent or 0 means none; otherwise a positive integer', () => {
    expect(statementTimeout({})).toBeUndefined();
    expect(statementTimeout({ statementTimeoutMs: 0 })).toBeUndefined();
    expect(statementTimeout({ statementTimeoutMs: 250 })).toBe(250);
    expect(() => statementTimeout({ statementTimeoutMs: -5 })).toThrow(ValidationError);
  });
});

describe('statementBoundMs', () => {
  it('is a twentieth past the statement timeout, between 20 ms and 1 s, or none without a timeout', () => {
    expect(statementBoundMs(undefined)).toBeUndefined();
    expect(statementBoundMs(100)).toBe(120);
    expect(statementBoundMs(1_000)).toBe(1_050);
    expect(statementBoundMs(60_000)).toBe(61_000);
    // Within the contract's + 10 % for every statement timeout of 200 ms or more.
    for (const ms of [200, 300, 1_000, 5_000, 30_000])
      expect(statementBoundMs(ms)).toBeLessThanOrEqual(ms * 1.1);
  });
});
