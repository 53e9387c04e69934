import { BerthError } from './berth-error.js';

/**
 * `connect()` found the adapter package but not the driver it loads (`pg`, `mysql2`, `mongodb`,
 * `@electric-sql/pglite`): adapters take their driver as a peer dependency, which some package managers do
 * not install for you. The message is one line naming what to install; the resolver's error is the `cause`.
 */
export class DriverNotInstalledError extends BerthError {
  readonly code = 'DRIVER_NOT_INSTALLED' as const;
  readonly retryable = false;

  constructor(
    /** The URL scheme `connect()` was given, without `://`. */
    readonly scheme: string,
    /** The adapter package that was found and loaded, e.g. `@berth/postgres`. */
    readonly packageName: string,
    /** The driver package the adapter could not load, e.g. `pg`: the one to install. */
    readonly driverPackage: string,
    options?: { cause?: unknown },
  ) {
    super(
      `the "${scheme}" backend's adapter ${packageName} needs its driver ${driverPackage}, which is not ` +
        `installed: install it with "npm install ${driverPackage}"`,
      options,
    );
  }
}
