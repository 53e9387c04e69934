import { afterEach, describe, expect, inject, it } from 'vitest';
import {
  closeTestDatabases,
  eventually,
  expectAtRest,
  openTestDatabase,
  terminateBackend,
} from '../support/test-database.js';

afterEach(closeTestDatabases);

describe.skipIf(!inject('postgresAvailable'))('idle connections terminated by the server', () => {
  it('are dropped without crashing, reported as pool errors, and the next requests succeed', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (error: unknown) => unhandled.push(error);
    process.on('uncaughtException', onUnhandled);
    process.on('unhandledRejection', onUnhandled);
    try {
      const handle = await openTestDatabase({ label: 'idle-kill', driver: { max: 3, min: 3 } });
      const before = await handle.serverPids();
      expect(before).toHaveLength(3);
      expect(handle.db.pool.stats()).toMatchObject({ total: 3, idle: 3 });

      for (const pid of before) await terminateBackend(pid);
      // pg-pool drops each idle client on its error; berth's pool reports the error and refills to `min`.
      await eventually(() => expect(handle.errors).toHaveLength(3));
      for (const error of handle.errors) expect(error.message).toMatch(/terminat/i);

      await Promise.all(Array.from({ length: 6 }, () => handle.db.ping()));
      await expectAtRest(handle, { total: 3 });
      const after = await handle.serverPids();
      expect(after.filter((pid) => before.includes(pid))).toEqual([]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('uncaughtException', onUnhandled);
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('are replaced on demand when no minimum is kept', async () => {
    const handle = await openTestDatabase({ label: 'idle-kill-lazy', driver: { max: 2 } });
    await Promise.all([handle.db.ping(), handle.db.ping()]);
    const before = await handle.serverPids();
    expect(before).toHaveLength(2);
    await Promise.all(before.map(terminateBackend));
    await eventually(() => expect(handle.db.pool.stats().total).toBe(0));
    expect(handle.errors).toHaveLength(2);

    await Promise.all([handle.db.ping(), handle.db.ping(), handle.db.ping()]);
    await expectAtRest(handle, { total: 2 });
    expect((await handle.serverPids()).some((pid) => before.includes(pid))).toBe(false);
  });
});
