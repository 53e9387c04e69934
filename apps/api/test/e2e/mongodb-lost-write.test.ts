import { type Database, connect } from '@berth/core';
import { MongoTestServer } from '@berth/mongo-test-server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ENTITIES } from '../../src/entities.js';
import { newUser } from './support/data.js';
import { Http } from './support/http.js';

const DATABASE = `berth_api_lost_write${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;

/**
 * MongoDB: a write the server applied whose reply was lost, after which the server cannot be reached for the
 * driver's retry, is the 500 `OUTCOME_UNKNOWN` (no `Retry-After`: a client retrying it would write twice),
 * not the 503 that says nothing was written; a write never sent during the same outage is that 503.
 */
describe('mongodb: a write applied, its reply lost, and the server gone for the retry', () => {
  let server: MongoTestServer;
  let db: Database;
  let app: FastifyInstance;
  let http: Http;
  const users = () => server.documents(DATABASE, 'users').map((d) => d.username as string);

  beforeAll(async () => {
    server = await MongoTestServer.start({ port: 0 });
    db = await connect(server.databaseUrl(DATABASE), {
      entities: ENTITIES,
      // The driver's server selection gives up after connectTimeoutMs.
      pool: { max: 2, connectTimeoutMs: 300, acquireTimeoutMs: 1_500 },
      importAdapter: (name) => import(name),
    });
    await db.ensureSchema();
    app = await buildApp({ db });
    await app.listen({ port: 0, host: '127.0.0.1' });
    http = new Http(`http://127.0.0.1:${(app.server.address() as { port: number }).port}`);
  });

  afterAll(async () => {
    await app?.close();
    await db?.close(2_000).catch(() => undefined);
    await server?.stop();
  });

  it('POST answers 500 OUTCOME_UNKNOWN and the row is stored; while the server stays down, POST answers 503', async () => {
    const created = newUser();
    let stopping: Promise<void> | undefined;
    server.setCommandHook((info) => {
      if (info.name !== 'insert' || info.command.insert !== 'users' || stopping) return undefined;
      stopping = server.stop();
      return { dropReply: true };
    });
    const lost = await http.post('/users', created);
    await stopping;
    server.setCommandHook(undefined);
    expect(lost.status, lost.text).toBe(500);
    expect(lost.body.error.code).toBe('OUTCOME_UNKNOWN');
    expect(lost.headers.get('retry-after')).toBeNull();
    expect(users()).toEqual([created.username]);

    // Still down: a read fails first (the driver has seen the outage), then a write that goes nowhere.
    expect((await http.get('/users')).status).toBe(503);
    const unsent = await http.post('/users', newUser());
    expect(unsent.status, unsent.text).toBe(503);
    expect(unsent.body.error.code).toBe('UNAVAILABLE');
    expect(unsent.headers.get('retry-after')).toBe('1');
    expect(users()).toEqual([created.username]);
  });
});
