import { MongoTestServer } from '@berth/mongo-test-server';

/** The database every test in a file uses on its test server. */
export const TEST_DATABASE = 'berth_test';

/** `server.url` with the test database in its path. */
export function databaseUrl(server: MongoTestServer, database = TEST_DATABASE): string {
  return server.databaseUrl(database);
}

/** Starts a test server (replica-set primary unless `standalone`). */
export function startServer(options: { standalone?: boolean } = {}): Promise<MongoTestServer> {
  return MongoTestServer.start({ port: 0, ...options });
}

/** A stored document as a row: `_id` read as `id`. */
export function withId(doc: Record<string, unknown>): Record<string, unknown> {
  const { _id, ...rest } = doc;
  return { id: String(_id), ...rest };
}
