import type { Adapter, DriverOptions } from '@berth/core';
import { PostgresDriver } from './postgres-driver.js';
import { POSTGRES_SCHEMES } from './postgres-url.js';

/** What `connect('postgres://...')` and `connect('postgresql://...')` load. */
export const adapter: Adapter = Object.freeze({
  backend: 'postgres',
  schemes: POSTGRES_SCHEMES,
  createDriver(url: string, options: DriverOptions): PostgresDriver {
    return new PostgresDriver({ ...options, url });
  },
});
