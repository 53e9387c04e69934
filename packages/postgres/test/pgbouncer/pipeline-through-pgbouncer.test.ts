import { Database } from '@berth/core';
import { Ledger } from '@berth/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDriver } from '../../src/index.js';
import { scaleOutServerProblem } from '../support/scale-out-server.js';
import { TEST_DATABASE } from '../support/server.js';

/**
 * `pipeline: true` behind PgBouncer in transaction pooling mode: each pipelined read is an autocommit
 * statement with its own Sync, a transaction of its own to the bouncer, so it works there; checked here
 * through a real PgBouncer (`scripts/scale-out/pgbouncer.sh up`, or `PGBOUNCER_TEST_URL`).
 */
const BOUNCER_URL = process.env.PGBOUNCER_TEST_URL ?? 'postgres://postgres@127.0.0.1:6432';

function url(): string {
  const u = new URL(BOUNCER_URL);
  u.pathname = `/${TEST_DATABASE}`;
  u.searchParams.set('pgbouncer', 'true');
  return u.href;
}

const up = (await scaleOutServerProblem('PgBouncer', url().replace('?pgbouncer=true', ''))) === undefined;

describe.skipIf(!up)('postgres behind PgBouncer: pipeline', () => {
  let db: Database;
  const ids: string[] = [];
  beforeAll(async () => {
    db = await Database.open(new PostgresDriver({ url: url(), max: 2, pipeline: true }), {
      entities: [Ledger],
    });
    await db.ensureSchema([Ledger]);
    for (let i = 0; i < 8; i++)
      ids.push((await db.repository(Ledger).insert({ label: `p${i}`, amount: i })).id);
  }, 30_000);
  afterAll(async () => {
    if (db) {
      await db.repository(Ledger).deleteMany({ id: { in: ids } });
      await db.close();
    }
  });

  it('48 callers read through 2 pipelined connections, each answered with its own row, nothing left in use', async () => {
    const repo = db.repository(Ledger);
    const answers = await Promise.all(
      Array.from({ length: 48 }, (_, i) => repo.findById(ids[i % ids.length]!).then((row) => row?.amount)),
    );
    expect(answers).toEqual(Array.from({ length: 48 }, (_, i) => i % ids.length));
    await expect(repo.count()).resolves.toBeGreaterThanOrEqual(ids.length);
    expect(db.pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
  });
});
