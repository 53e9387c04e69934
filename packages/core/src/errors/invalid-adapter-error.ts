import { BerthError } from './berth-error.js';

/**
 * `connect()` loaded the adapter package for a URL's scheme, but the package does not export a berth
 * adapter (`adapter.createDriver`): a wrong or mismatched version of the package is installed.
 */
export class InvalidAdapterError extends BerthError {
  readonly code = 'INVALID_ADAPTER' as const;
  readonly retryable = false;

  constructor(
    /** The package loaded for the URL's scheme, whose exports lack `adapter.createDriver`. */
    readonly packageName: string,
  ) {
    super(`${packageName} does not export a berth adapter`);
  }
}
