import type { MongoTestServer } from '@berth/mongo-test-server';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { useDatabases } from './open-database.js';
import { startServer } from './test-server.js';

/** What a fault test file gets from `useFaultServer`. */
export interface FaultServer {
  /** The file's test server (started in `beforeAll`: read it inside tests and hooks only). */
  readonly server: MongoTestServer;
  /** Opens a database on the server, closed after the test (see `useDatabases`). */
  readonly open: ReturnType<typeof useDatabases>;
}

/**
 * The preamble of a fault test file (or of one `describe`, with the server's `options`): one test server,
 * started before its tests and stopped after them, its faults cleared and its data reset before each test,
 * and databases opened on it closed after each test. A test that stops the server need not start it again:
 * the next test's reset does.
 */
export function useFaultServer(options: Parameters<typeof startServer>[0] = {}): FaultServer {
  let server: MongoTestServer | undefined;
  beforeAll(async () => {
    server = await startServer(options);
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    if (!server!.isRunning) await server!.restart();
    server!.clearFaults();
    server!.reset();
  });
  const open = useDatabases(() => server!);
  return {
    get server() {
      if (server === undefined) throw new Error('the fault server is started in beforeAll');
      return server;
    },
    open,
  };
}
