import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { BSON } from 'bson';
import type { Document } from 'bson';
import { MongoClient } from 'mongodb';
import type { ServerHeartbeatFailedEvent, ServerHeartbeatSucceededEvent } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MongoTestServer } from '../src/index.js';

let server: MongoTestServer;
beforeAll(async () => {
  server = await MongoTestServer.start();
});
afterAll(async () => {
  await server.stop();
});

function opMsg(
  body: Document,
  options: { sequence?: [string, Document[]]; checksum?: boolean } = {},
): Buffer {
  const sections: Buffer[] = [Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  if (options.sequence) {
    const [id, docs] = options.sequence;
    const payload = Buffer.concat([
      Buffer.from(`${id}\0`),
      ...docs.map((d) => Buffer.from(BSON.serialize(d))),
    ]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(payload.length + 4);
    sections.push(Buffer.from([1]), size, payload);
  }
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE(options.checksum ? 1 : 0);
  const trailer = options.checksum ? Buffer.alloc(4) : Buffer.alloc(0);
  const content = Buffer.concat([flags, ...sections, trailer]);
  const header = Buffer.alloc(16);
  header.writeInt32LE(16 + content.length, 0);
  header.writeInt32LE(7, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(2013, 12);
  return Buffer.concat([header, content]);
}

function readReply(socket: Socket): Promise<Document> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (buffer.length >= 4 && buffer.length >= buffer.readInt32LE(0)) {
        socket.off('data', onData);
        expect(buffer.readInt32LE(8)).toBe(7); // responseTo
        resolve(BSON.deserialize(buffer.subarray(21, buffer.readInt32LE(0))));
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

async function open(): Promise<Socket> {
  const socket = connect(server.port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  return socket;
}

describe('wire protocol', () => {
  it('accepts kind-1 document sequences and a checksum trailer', async () => {
    const socket = await open();
    try {
      socket.write(
        opMsg(
          { insert: 'seq', $db: 'wire' },
          { sequence: ['documents', [{ _id: 1 }, { _id: 2 }]], checksum: true },
        ),
      );
      expect(await readReply(socket)).toMatchObject({ n: 2, ok: 1 });
      // Split a message across writes to exercise reassembly.
      const message = opMsg({ count: 'seq', $db: 'wire' });
      socket.write(message.subarray(0, 3));
      await new Promise((resolve) => setTimeout(resolve, 10));
      socket.write(message.subarray(3));
      expect(await readReply(socket)).toMatchObject({ n: 2, ok: 1 });
    } finally {
      socket.destroy();
    }
  });

  it('closes a connection that sends garbage and keeps serving others', async () => {
    const socket = await open();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(Buffer.from([0xff, 0xff, 0xff, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
    await closed;
    const bad = await open();
    const badClosed = new Promise((resolve) => bad.once('close', resolve));
    // Well-framed, but the body is not valid BSON.
    const header = Buffer.alloc(16);
    header.writeInt32LE(16 + 4 + 1 + 8, 0);
    header.writeInt32LE(2013, 12);
    bad.write(
      Buffer.concat([header, Buffer.alloc(4), Buffer.from([0]), Buffer.from([8, 0, 0, 0, 3, 0, 0, 0])]),
    );
    await badClosed;
    const good = await open();
    try {
      good.write(opMsg({ ping: 1, $db: 'admin' }));
      expect(await readReply(good)).toMatchObject({ ok: 1 });
    } finally {
      good.destroy();
    }
  });

  it('serves the streaming (awaitable hello) monitor without heartbeat failures', async () => {
    const client = new MongoClient(server.url, { heartbeatFrequencyMS: 100 });
    const succeeded: ServerHeartbeatSucceededEvent[] = [];
    const failed: ServerHeartbeatFailedEvent[] = [];
    client.on('serverHeartbeatSucceeded', (event) => succeeded.push(event));
    client.on('serverHeartbeatFailed', (event) => failed.push(event));
    try {
      await client.connect();
      // The driver waits minHeartbeatFrequencyMS (500 ms) before its first awaitable hello.
      await new Promise((resolve) => setTimeout(resolve, 900));
      expect(failed).toEqual([]);
      expect(succeeded.filter((event) => event.awaited).length).toBeGreaterThanOrEqual(3);
      expect((await client.db('admin').command({ ping: 1 })).ok).toBe(1);
    } finally {
      await client.close();
    }
  });
});
