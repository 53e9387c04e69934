import type { Adapter, DriverOptions } from '@berth/core';
import { MongoDriver } from './mongo-driver.js';

/** The adapter `connect()` loads for `mongodb:` and `mongodb+srv:` URLs. */
export const adapter: Adapter = {
  backend: 'mongodb',
  createDriver: (url: string, options: DriverOptions) => new MongoDriver(url, options),
};
