// Run by the consumer check with one driver moved out of node_modules (as a package manager that does not
// install peer dependencies would leave it): connect() must fail with DriverNotInstalledError naming the
// driver, whether the adapter imports it up front (@berth/mongodb) or when it opens its pool (@berth/postgres).
import { strict as assert } from 'node:assert';
import { BerthError, connect, DriverNotInstalledError } from '@berth/core';

const [url, driver] = process.argv.slice(2);
const error = await connect(url, { lazy: true }).then(
  (db) => db.close().then(() => assert.fail(`connect('${url}') worked without ${driver}`)),
  (e) => e,
);
assert.equal(error instanceof DriverNotInstalledError, true, `DriverNotInstalledError, got ${error?.stack}`);
assert.equal(BerthError.is(error), true, 'BerthError.is');
assert.equal(error.code, 'DRIVER_NOT_INSTALLED');
assert.equal(error.driverPackage, driver);
assert.equal(error.message.split('\n').length, 1, 'one line');
console.log(`MISSING-DRIVER ok ${error.message}`);
