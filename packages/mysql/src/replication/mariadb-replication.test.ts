import { UnsupportedFeatureError } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { MysqlConnection } from '../mysql-connection.js';
import type { Mysql2PoolConnection } from '../mysql2-like.js';
import { describeServer } from '../mysql-server.js';
import { MARIADB_REPLICATION } from './mariadb-replication.js';

describe('MARIADB_REPLICATION.verifyPrimary', () => {
  it('refuses MySQL 8 (GTID sets) with UnsupportedFeatureError before sending anything', async () => {
    let sent = 0;
    const native = new Proxy({} as Mysql2PoolConnection, {
      get: () => () => {
        sent += 1;
        throw new Error('nothing may be sent');
      },
    });
    const connection = new MysqlConnection(native, describeServer('8.0.36'), '1');
    const error = await MARIADB_REPLICATION.verifyPrimary!(connection).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect(error).toMatchObject({ feature: 'read-replicas', message: expect.stringMatching(/MySQL 8/) });
    expect(sent).toBe(0);
  });
});
