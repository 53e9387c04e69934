import { BerthError, Database, ValidationError, defineEntity, field } from '@berth/core';
import type { MongoTestServer } from '@berth/mongo-test-server';
import type { Document } from 'mongodb';
import { Timestamp } from 'mongodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MongoDriver } from '../src/index.js';
import { TEST_DATABASE, databaseUrl, startServer } from './support/test-server.js';

const Note = defineEntity('causal_notes', {
  id: field.id(),
  text: field.string(),
  version: field.version(),
});

/** `<backend>.<t>.<i>.<t>.<i>.<keyId>.<hash>`: the operation time, then the signed cluster time. */
const TOKEN = /^mongodb\.(\d+)\.(\d+)\.\d+\.\d+\.\d+\.[A-Za-z0-9_-]*$/;

let server: MongoTestServer;
/** The commands the server received (not the monitoring `hello`s), in order. */
let seen: Document[] = [];
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.reset();
  seen = [];
  server.setCommandHook(({ name, command }) => {
    if (name !== 'hello' && name !== 'ismaster') seen.push(command);
    return undefined;
  });
});
const opened: Database[] = [];
afterEach(async () => {
  server.clearFaults();
  await Promise.allSettled(opened.splice(0).map((db) => db.close(500)));
});

async function open(url = databaseUrl(server)): Promise<Database> {
  const db = await Database.open(new MongoDriver(url, { max: 2 }), { entities: [Note] });
  opened.push(db);
  await db.ensureSchema();
  return db;
}

const commandsNamed = (name: string) => seen.filter((c) => Object.keys(c)[0] === name);
const last = (name: string) => commandsNamed(name).at(-1);
/** A Timestamp the server decoded (its own bson copy) as the driver's, to compare. */
const time = (value: unknown): Timestamp => {
  const { t, i } = value as { t: number; i: number };
  return new Timestamp({ t, i });
};
const tokenTime = (token: string) => {
  const [, t, i] = TOKEN.exec(token)!;
  return new Timestamp({ t: Number(t), i: Number(i) });
};

describe('causal sessions on a MongoDB replica set (the driver’s sessions, afterClusterTime)', () => {
  it('a write gives the session a token naming its operationTime; a later read in the session waits for it', async () => {
    const db = await open();
    await db.withSession(undefined, async () => {
      // A new session without a token has nothing to wait for.
      await db.repository(Note).find({ limit: 1 });
      expect(last('find')!.readConcern).toBeUndefined();
      expect(db.sessionToken()).toMatch(TOKEN);
      const note = await db.repository(Note).insert({ text: 'written' });
      const token = db.sessionToken()!;
      expect(token).toMatch(TOKEN);
      const written = tokenTime(token);
      expect(await db.repository(Note).findById(note.id)).toMatchObject({ text: 'written' });
      const after = last('find')!.readConcern.afterClusterTime;
      expect(after._bsontype).toBe('Timestamp');
      expect(time(after).compare(written)).toBeGreaterThanOrEqual(0);
    });
  });

  it('the token carries causality to another client (another API instance): its reads wait for the write', async () => {
    const writer = await open();
    const token = await writer.withSession(undefined, async () => {
      await writer.repository(Note).insert({ text: 'elsewhere' });
      return writer.sessionToken()!;
    });
    const reader = await open();
    seen = [];
    const rows = await reader.withSession(token, () =>
      reader.repository(Note).find({ where: { text: 'elsewhere' } }),
    );
    expect(rows.items).toHaveLength(1);
    const find = last('find')!;
    expect(time(find.readConcern.afterClusterTime).equals(tokenTime(token))).toBe(true);
    // The cluster time the token carried is gossiped with it, so a member that had not seen it learns it.
    expect(time(find.$clusterTime.clusterTime).compare(tokenTime(token))).toBeGreaterThanOrEqual(0);
    // The reader's session keeps (at least) that position, for its own answer's token.
    expect(reader.withSession(token, () => reader.sessionToken())).toBe(token);
  });

  it('a transaction in a causal session starts at the session’s position, and its commit moves the session on', async () => {
    const db = await open();
    await db.withSession(undefined, async () => {
      await db.repository(Note).insert({ text: 'before' });
      const before = tokenTime(db.sessionToken()!);
      await db.transaction(async (tx) => {
        await tx.repository(Note).insert({ text: 'inside' });
      });
      const first = seen.find((c) => c.startTransaction === true)!;
      expect(time(first.readConcern.afterClusterTime).compare(before)).toBeGreaterThanOrEqual(0);
      expect(first.readConcern.level).toBe('snapshot');
      const commit = last('commitTransaction')!;
      expect(tokenTime(db.sessionToken()!).compare(before)).toBeGreaterThan(0);
      expect(commit).toBeDefined();
    });
  });

  it('sessions do not leak positions into each other through the pooled driver sessions', async () => {
    const db = await open();
    const token = await db.withSession(undefined, async () => {
      await db.repository(Note).insert({ text: 'one' });
      return db.sessionToken()!;
    });
    // Another request, without a token, on the same pooled connection: no wait for the other's write.
    await db.withSession(undefined, () => db.repository(Note).find({ limit: 1 }));
    expect(last('find')!.readConcern).toBeUndefined();
    // Outside any session, the handle's own session follows every write of the process.
    await db.repository(Note).find({ limit: 1 });
    expect(time(last('find')!.readConcern.afterClusterTime).compare(tokenTime(token))).toBeGreaterThanOrEqual(
      0,
    );
  });

  it('a malformed token, or one of another backend, is a ValidationError before any work', async () => {
    const db = await open();
    seen = [];
    for (const bad of ['garbage', 'postgres.0/16B3748', 'mongodb.1', 'mongodb.1.2.3', 'mongodb.x.y']) {
      expect(() => db.withSession(bad, () => db.repository(Note).find({}))).toThrow(ValidationError);
    }
    expect(commandsNamed('find')).toHaveLength(0);
  });

  it('a position past every cluster time the server knows, without its signed cluster time, is refused by the server (never read early)', async () => {
    const db = await open();
    const error = await db
      .withSession('mongodb.4000000000.1', () => db.repository(Note).find({}))
      .catch((e: unknown) => e);
    expect(BerthError.is(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/afterClusterTime/);
  });
});

describe('read preference (a replica-set URL with readPreference=secondaryPreferred)', () => {
  const url = () =>
    server.replicaSetUrl.replace('/?', `/${TEST_DATABASE}?`) + '&readPreference=secondaryPreferred';

  it('reads a replica could serve follow it; writes, transactions and units of work ask for the primary', async () => {
    const db = await open(url());
    const note = await db.repository(Note).insert({ text: 'routed' });
    seen = [];
    await db.repository(Note).find({ where: { text: 'routed' } });
    await db.repository(Note).count({});
    expect(last('find')!.$readPreference).toEqual({ mode: 'secondaryPreferred' });
    expect(last('aggregate')!.$readPreference).toEqual({ mode: 'secondaryPreferred' });
    seen = [];
    // A transaction works although the client prefers secondaries: it reads from the primary.
    await db.transaction(async (tx) => {
      await tx.repository(Note).findById(note.id);
      await tx.repository(Note).update(note.id, { text: 'changed' });
    });
    const uow = db.unitOfWork();
    const loaded = await uow.findById(Note, note.id);
    expect(loaded).toMatchObject({ text: 'changed' });
    for (const command of seen) expect(command.$readPreference).toBeUndefined();
    expect(commandsNamed('find').length).toBeGreaterThanOrEqual(2);
  });
});

/**
 * The same session plumbing against a real replica set, when `MONGODB_URL` names one (with a database in
 * its path): the test server is one member, so only a real set shows a secondary waiting for
 * `afterClusterTime`. Observed through the driver's command monitoring.
 */
const REAL = process.env.MONGODB_URL;
describe.skipIf(REAL === undefined)('causal sessions on a real replica set (MONGODB_URL)', () => {
  it('a read with another client’s token sends afterClusterTime at or past the write, and reads it', async () => {
    const started: Document[] = [];
    const writer = await Database.open(new MongoDriver(REAL!, { max: 2 }), { entities: [Note] });
    const readerDriver = new MongoDriver(REAL!, { max: 2, clientOptions: { monitorCommands: true } });
    const reader = await Database.open(readerDriver, { entities: [Note] });
    opened.push(writer, reader);
    readerDriver.client.on('commandStarted', (event) => started.push(event.command));
    await writer.ensureSchema();
    const text = `real-${Date.now()}`;
    const token = await writer.withSession(undefined, async () => {
      await writer.repository(Note).insert({ text });
      return writer.sessionToken()!;
    });
    expect(token).toMatch(TOKEN);
    const rows = await reader.withSession(token, () => reader.repository(Note).find({ where: { text } }));
    expect(rows.items).toHaveLength(1);
    const find = started.filter((c) => c.find === Note.name).at(-1)!;
    expect(time(find.readConcern.afterClusterTime).compare(tokenTime(token))).toBeGreaterThanOrEqual(0);
  });
});
