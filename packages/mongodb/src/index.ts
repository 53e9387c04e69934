/**
 * berth adapter for MongoDB over the official mongodb driver: logical sessions behind berth's pool,
 * conditions compiled to operator-only queries, transactions on replica sets.
 *
 * @packageDocumentation
 * @module @berth/mongodb
 */
export { adapter } from './mongo-adapter.js';
export { MongoDriver } from './mongo-driver.js';
export { MongoConnection } from './mongo-connection.js';
export type { MongoConnectionSettings } from './mongo-connection.js';
export { withMongoCollection } from './mongo-escape-hatches.js';
export type { MongoCollectionAccess } from './mongo-escape-hatches.js';
export {
  MONGO_DEFAULTS,
  STATEMENT_BOUND_MARGIN,
  statementBoundMs,
  toMongoClientOptions,
} from './mongo-driver-options.js';
export type { MongoDriverOptions } from './mongo-driver-options.js';
export type { PhysicalConnectionStats } from './physical-connections.js';
export { compileFilter } from './compile-filter.js';
export { compileSort } from './compile-sort.js';
export { mapMongoError } from './map-mongo-error.js';
export { detectCapabilities } from './detect-capabilities.js';
export { parseMongoUrl } from './mongo-url.js';
export type { MongoUrl } from './mongo-url.js';
