import type { MongoTestServer } from '@berth/mongo-test-server';
import { type ClientSession, MongoClient } from 'mongodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { markUnsent, sentSince } from '../src/wire-mark.js';
import { TEST_DATABASE, databaseUrl, startServer } from './support/test-server.js';

/**
 * `wire-mark.ts` leans on what the driver does with a session's `lastUse`: these tests pin it on the driver
 * berth is built against, so an upgrade that changes it fails here rather than calling a write that was
 * sent "never sent". A mark that stayed put when a command went out is the dangerous direction.
 */
let server: MongoTestServer;
let client: MongoClient;
let session: ClientSession;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});
afterEach(async () => {
  server.clearFaults();
  await session?.endSession().catch(() => undefined);
  await client?.close();
  if (!server.isRunning) await server.restart();
});

async function connect(): Promise<ClientSession> {
  client = new MongoClient(databaseUrl(server), { serverSelectionTimeoutMS: 300, retryWrites: true });
  await client.connect();
  session = client.startSession({ causalConsistency: false });
  return session;
}

const items = () => client.db(TEST_DATABASE).collection('wire_mark_items');

describe('the wire mark of a session', () => {
  it('moves with every command sent on the session, however soon after the mark, and only then', async () => {
    await connect();
    const mark = markUnsent(session);
    expect(sentSince(session, mark)).toBe(false);
    await items().insertOne({ n: 1 }, { session });
    expect(sentSince(session, mark)).toBe(true);
    // Marking again re-arms it; a command on another session does not move it.
    const again = markUnsent(session);
    await items().countDocuments({}, { session: client.startSession() });
    expect(sentSince(session, again)).toBe(false);
    await items().countDocuments({}, { session });
    expect(sentSince(session, again)).toBe(true);
  });

  it('moves when the command was sent and its reply lost, with the retry failing to select a server', async () => {
    await connect();
    let stopping: Promise<void> | undefined;
    server.setCommandHook((info) => {
      if (info.name !== 'insert' || stopping) return undefined;
      stopping = server.stop();
      return { dropReply: true };
    });
    const mark = markUnsent(session);
    const error = await items()
      .insertOne({ n: 2 }, { session })
      .catch((e: unknown) => e);
    await stopping;
    // The driver throws its retry's server selection error: the first attempt's network error is gone.
    expect((error as Error).name).toBe('MongoServerSelectionError');
    expect(sentSince(session, mark)).toBe(true);
  });

  it('stays when nothing could be sent: no server to select', async () => {
    await connect();
    await items().countDocuments({}, { session });
    await server.stop();
    // The driver has seen the outage (the read fails), so the write has no socket to go out on.
    await expect(items().countDocuments({}, { session })).rejects.toThrow();
    const mark = markUnsent(session);
    const error = await items()
      .insertOne({ n: 3 }, { session })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('MongoServerSelectionError');
    expect(sentSince(session, mark)).toBe(false);
  });
});
