import { BerthError } from './berth-error.js';

/** `connect()` was given a URL whose adapter package is not installed. The message is one line naming it. */
export class AdapterNotInstalledError extends BerthError {
  readonly code = 'ADAPTER_NOT_INSTALLED';
  readonly retryable = false;

  constructor(
    readonly scheme: string,
    readonly packageName: string,
    readonly driverPackage?: string,
  ) {
    super(
      `the "${scheme}" backend needs the ${packageName} package: install it with ` +
        `"npm install ${packageName}${driverPackage ? ` ${driverPackage}` : ''}"`,
    );
  }
}
