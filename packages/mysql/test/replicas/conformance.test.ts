import { Database } from '@berth/core';
import { runReplicaConformanceSuite } from '@berth/testkit';
import { MysqlDriver } from '../../src/mysql-driver.js';
import { parseMysqlUrl } from '../../src/mysql-url.js';
import { adminOf } from '../support/admin-connection.js';
import { WRITE_PACKET } from '../support/execute-packet.js';
import { PRIMARY_SERVER, REPLICA_SERVER, replicaPairProblem } from '../support/replica-pair.js';
import { ServerProbe } from '../support/test-server.js';

/**
 * The whole conformance suite once more with a GTID replica configured (`scripts/scale-out/up.sh` starts
 * the MariaDB pair on 127.0.0.1:3310 and :3311): see `runReplicaConformanceSuite` for what it proves and
 * which groups it leaves to the plain MariaDB suite (16 cases), with the reason.
 */
const DATABASE = `berth_mysql_replica_conformance${process.env.BERTH_TEST_DB_SUFFIX ?? ''}`;
const DEFAULT_MAX = 4;
const at = (server: string) => {
  const url = new URL(server);
  url.pathname = `/${DATABASE}`;
  return url.href;
};
const primary = parseMysqlUrl(at(PRIMARY_SERVER));

const unusable = await replicaPairProblem();
const probe = new ServerProbe(PRIMARY_SERVER, DATABASE);

runReplicaConformanceSuite({
  name: 'mysql (MariaDB) with a read replica',
  label: 'mariadb',
  unusable,
  primary: { host: primary.host ?? '127.0.0.1', port: primary.port ?? 3306 },
  loneInsert: WRITE_PACKET,
  async setup() {
    const primaryAdmin = await adminOf(PRIMARY_SERVER);
    const replicaAdmin = await adminOf(REPLICA_SERVER);
    try {
      await primaryAdmin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
      await primaryAdmin.query(`CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4`);
      // The replica's pool connects to the database: wait until it has replayed CREATE DATABASE.
      for (let i = 0; ; i += 1) {
        const [rows] = await replicaAdmin.query(
          'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
          [DATABASE],
        );
        if ((rows as unknown[]).length > 0) break;
        if (i > 300) throw new Error(`the replica did not replay CREATE DATABASE ${DATABASE}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await Promise.all([primaryAdmin.end(), replicaAdmin.end()]);
    }
  },
  async teardown() {
    await probe.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``).catch(() => undefined);
    await probe.close();
  },
  async open({ entities, pool, proxyPort, ...events }) {
    const driver = new MysqlDriver({
      ...primary,
      host: '127.0.0.1',
      port: proxyPort,
      max: DEFAULT_MAX,
      ...pool,
    });
    const replica = new MysqlDriver({ ...parseMysqlUrl(at(REPLICA_SERVER)), max: 2, ...pool });
    return Database.open(driver, {
      entities,
      pool,
      ...events,
      replicas: [{ driver: replica, name: 'replica' }],
    });
  },
  serverConnections: () => probe.serverConnections(),
  openTransactions: () => probe.openTransactions(),
  killConnection: (connectionId) => probe.kill(connectionId),
  readRaw: (table) => probe.readRaw(table),
});
