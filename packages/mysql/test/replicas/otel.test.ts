import { Database, type Entity } from '@berth/core';
import type { Connection } from 'mysql2/promise';
import { afterAll } from 'vitest';
import { otelReplicaCases } from '../../../core/test/otel/otel-replica-cases.js';
import { MysqlDriver } from '../../src/mysql-driver.js';
import { parseMysqlUrl } from '../../src/mysql-url.js';
import { adminOf } from '../support/admin-connection.js';
import {
  PRIMARY_SERVER,
  REPLICA_DATABASE,
  REPLICA_SERVER,
  databaseUrl,
  replicaPairProblem,
} from '../support/replica-pair.js';

/**
 * `@berth/core/otel` with the MariaDB primary and GTID replica `scripts/scale-out/up.sh` starts on
 * 127.0.0.1:3310 and :3311: each pool's metrics and each statement's span name its own server, and both
 * say `mariadb`, as the servers' VERSION() does.
 */
const primaryUrl = databaseUrl(PRIMARY_SERVER);
const replicaUrl = databaseUrl(REPLICA_SERVER);
const unusable = await replicaPairProblem();

let primaryAdmin: Connection | undefined;
let replicaAdmin: Connection | undefined;
afterAll(async () => {
  await primaryAdmin?.query(`DROP DATABASE IF EXISTS \`${REPLICA_DATABASE}\``).catch(() => undefined);
  await Promise.all([primaryAdmin?.end(), replicaAdmin?.end()]);
});

otelReplicaCases({
  name: 'mariadb',
  system: 'mariadb',
  primaryUrl,
  replicaUrl,
  unusable,
  async open(entities: readonly Entity[], name: string) {
    primaryAdmin = await adminOf(PRIMARY_SERVER);
    replicaAdmin = await adminOf(REPLICA_SERVER);
    await primaryAdmin.query(`DROP DATABASE IF EXISTS \`${REPLICA_DATABASE}\``);
    await primaryAdmin.query(`CREATE DATABASE \`${REPLICA_DATABASE}\` CHARACTER SET utf8mb4`);
    const db = await Database.open(new MysqlDriver({ ...parseMysqlUrl(primaryUrl), max: 2 }), {
      entities,
      replicas: [{ driver: new MysqlDriver({ ...parseMysqlUrl(replicaUrl), max: 2 }), name }],
    });
    await db.ensureSchema();
    return db;
  },
  /** Waits until the replica has applied everything the primary has logged now. */
  async caughtUp() {
    const [rows] = await primaryAdmin!.query('SELECT @@gtid_binlog_pos AS pos');
    const pos = (rows as { pos: string }[])[0]!.pos;
    const [waited] = await replicaAdmin!.query('SELECT MASTER_GTID_WAIT(?, 30) AS r', [pos]);
    if ((waited as { r: number }[])[0]!.r !== 0) throw new Error(`the replica did not reach ${pos} in 30 s`);
  },
});
