import type { Adapter, DriverOptions } from '@berth/core';
import { MysqlDriver } from './mysql-driver.js';
import { parseMysqlUrl } from './mysql-url.js';

/** What `connect('mysql://...')` and `connect('mariadb://...')` load. The scheme does not pick the flavour: the server's `VERSION()` does. */
export const adapter: Adapter = Object.freeze({
  backend: 'mysql',
  createDriver(url: string, options: DriverOptions): MysqlDriver {
    return new MysqlDriver({ ...options, ...parseMysqlUrl(url) });
  },
});
