import { MongoClient } from 'mongodb';
import type { MongoClientOptions } from 'mongodb';
import { afterAll, afterEach } from 'vitest';
import { MongoTestServer } from '../src/index.js';

/** Options that make the driver notice server changes quickly in tests. */
export const fastClientOptions: MongoClientOptions = {
  serverSelectionTimeoutMS: 5_000,
  heartbeatFrequencyMS: 500,
};

/**
 * Starts one server for the test file (stopped afterAll) and tracks clients so every test's
 * clients are closed even when assertions fail.
 */
export function useServer(options: Parameters<typeof MongoTestServer.start>[0] = {}) {
  let server: MongoTestServer | undefined;
  const clients: MongoClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close(true)));
  });
  afterAll(async () => {
    await server?.stop();
  });

  return {
    async server(): Promise<MongoTestServer> {
      server ??= await MongoTestServer.start(options);
      return server;
    },
    async client(extra: MongoClientOptions = {}, url?: string): Promise<MongoClient> {
      const s = await this.server();
      const client = new MongoClient(url ?? s.url, { ...fastClientOptions, ...extra });
      clients.push(client);
      await client.connect();
      return client;
    },
  };
}

let dbCounter = 0;
/** A database name unique within the test process. */
export function uniqueDbName(prefix = 'db'): string {
  dbCounter++;
  return `${prefix}_${process.pid}_${dbCounter}`;
}

/** Document type for tests that use numeric/string `_id`s freely (the driver's default assumes ObjectId). */
// biome-ignore lint/suspicious/noExplicitAny: test documents are intentionally untyped
export type Loose = any;
