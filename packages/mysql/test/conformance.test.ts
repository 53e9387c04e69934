import { Database } from '@berth/core';
import { runConformanceSuite } from '@berth/testkit';
import { describe, it } from 'vitest';
import { MysqlDriver } from '../src/mysql-driver.js';
import { parseMysqlUrl } from '../src/mysql-url.js';
import { ServerProbe, TEST_URL, serverAvailable } from './support/test-server.js';

/** Small pools: other packages' tests share the server. */
const DEFAULT_MAX = 4;

if (serverAvailable()) {
  // Raw reads and server-side counts go through one plain mysql2 connection that selects no database, so
  // it is never counted among the test database's sessions.
  const probe = new ServerProbe();
  runConformanceSuite({
    name: 'mysql (MariaDB)',
    async open({ entities, pool, ...events }) {
      const driver = new MysqlDriver({ ...parseMysqlUrl(TEST_URL), max: DEFAULT_MAX, ...pool });
      return Database.open(driver, { entities, pool, ...events });
    },
    teardown: () => probe.close(),
    serverConnections: () => probe.serverConnections(),
    openTransactions: () => probe.openTransactions(),
    killConnection: (connectionId) => probe.kill(connectionId),
    readRaw: (table) => probe.readRaw(table),
  });
} else {
  describe('berth conformance: mysql', () => {
    it.skip('SKIPPED: MySQL/MariaDB is unreachable (see the warning above)', () => undefined);
  });
}
