/**
 * berth adapter for PGlite, embedded PostgreSQL in WebAssembly: the zero-setup default backend, in memory or
 * in a data folder.
 *
 * @packageDocumentation
 * @module @berth/pglite
 */
export { adapter } from './pglite-adapter.js';
export { PGliteDriver, PGLITE_CAPABILITIES } from './pglite-driver.js';
export type { PGliteDriverConfig } from './pglite-driver.js';
export { PGliteConnection } from './pglite-connection.js';
export type { PGliteLike } from './pglite-like.js';
export { parsePGliteUrl } from './pglite-url.js';
export type { PGliteLocation } from './pglite-url.js';
export { ConnectionMutex } from './connection-mutex.js';
