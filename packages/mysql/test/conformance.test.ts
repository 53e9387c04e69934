import { Database } from '@berth/core';
import { runConformanceSuite, TcpProxy } from '@berth/testkit';
import { describe, it } from 'vitest';
import { MysqlDriver } from '../src/mysql-driver.js';
import { parseMysqlUrl } from '../src/mysql-url.js';
import { ServerProbe, TEST_URL, serverAvailable } from './support/test-server.js';
import { WRITE_PACKET } from './support/execute-packet.js';

/** Small pools: other packages' tests share the server. */
const DEFAULT_MAX = 4;

if (serverAvailable()) {
  // Raw reads and server-side counts go through one plain mysql2 connection that selects no database, so
  // it is never counted among the test database's sessions.
  const probe = new ServerProbe();
  // Pools reach the server through a fault proxy, so a reply can be lost on demand (`dropNextCommitReply`).
  let proxy: TcpProxy | undefined;
  runConformanceSuite({
    name: 'mysql (MariaDB)',
    async setup() {
      const config = parseMysqlUrl(TEST_URL);
      proxy = await TcpProxy.start({ host: config.host ?? '127.0.0.1', port: config.port ?? 3306 });
    },
    async open({ entities, pool, ...events }) {
      const driver = new MysqlDriver({
        ...parseMysqlUrl(TEST_URL),
        host: '127.0.0.1',
        port: proxy!.port,
        max: DEFAULT_MAX,
        ...pool,
      });
      return Database.open(driver, { entities, pool, ...events });
    },
    async teardown() {
      await proxy?.stop();
      await probe.close();
    },
    async dropNextCommitReply(what) {
      // A lone INSERT goes as text with its values written in (COM_QUERY, command 0x03).
      void proxy!.dropNextReply(what === 'transaction' ? /COMMIT/ : WRITE_PACKET);
    },
    async openThroughProxy({ entities, pool }) {
      const location = parseMysqlUrl(TEST_URL);
      const proxy = await TcpProxy.start({ host: location.host, port: location.port });
      const driver = new MysqlDriver({
        ...location,
        host: '127.0.0.1',
        port: proxy.port,
        max: DEFAULT_MAX,
        ...pool,
      });
      return { db: await Database.open(driver, { entities, pool }), proxy };
    },
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
