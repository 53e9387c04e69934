import type { Adapter, DriverOptions } from '@berth/core';
import { PostgresDriver } from './postgres-driver.js';

/** What `connect('postgres://...')` and `connect('postgresql://...')` load. */
export const adapter: Adapter = Object.freeze({
  backend: 'postgres',
  createDriver(url: string, options: DriverOptions): PostgresDriver {
    return new PostgresDriver({ ...options, url });
  },
});
