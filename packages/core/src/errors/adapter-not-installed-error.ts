import { BerthError } from './berth-error.js';

/** `connect()` was given a URL whose adapter package is not installed. The message is one line naming it. */
export class AdapterNotInstalledError extends BerthError {
  readonly code = 'ADAPTER_NOT_INSTALLED';
  readonly retryable = false;

  constructor(
    /** The URL scheme `connect()` was given (`postgres`, `mysql`, `mongodb`, `pglite`...), without `://`. */
    readonly scheme: string,
    /** The adapter package that serves the scheme and is missing, e.g. `@berth/postgres`. */
    readonly packageName: string,
    /**
     * The driver the adapter also needs, named in the install command of the message; absent when the adapter brings
     * its own.
     */
    readonly driverPackage?: string,
  ) {
    super(
      `the "${scheme}" backend needs the ${packageName} package: install it with ` +
        `"npm install ${packageName}${driverPackage ? ` ${driverPackage}` : ''}"`,
    );
  }
}
