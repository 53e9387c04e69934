import { connect, Database, UnsupportedFeatureError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { PGliteDriver } from '../src/index.js';

describe('read replicas on PGlite', () => {
  it('are refused with UnsupportedFeatureError (one in-process database has no replicas), nothing left open', async () => {
    const error = await Database.open(new PGliteDriver({}), {
      replicas: [{ driver: new PGliteDriver({}), name: 'memory' }],
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect((error as UnsupportedFeatureError).feature).toBe('read-replicas');
  });

  it('connect() refuses a replica URL of another kind of database with ValidationError', async () => {
    await expect(
      connect('pglite://memory', { replicas: ['mysql://root@127.0.0.1:3306/x'], lazy: true }),
    ).rejects.toThrow(/same kind of database/);
  });
});
