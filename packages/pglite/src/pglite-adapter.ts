import type { Adapter, DriverOptions } from '@berth/core';
import { PGliteDriver } from './pglite-driver.js';
import { parsePGliteUrl } from './pglite-url.js';

/** What `connect('pglite://...')` loads: PGlite in memory (`pglite://memory`) or in a data folder. */
export const adapter: Adapter = Object.freeze({
  backend: 'pglite',
  createDriver(url: string, options: DriverOptions): PGliteDriver {
    const { dataDir } = parsePGliteUrl(url);
    return new PGliteDriver({ ...options, dataDir });
  },
});
