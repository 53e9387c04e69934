import type { DriverOptions } from '../driver/driver.js';
import { checkDuration } from './duration.js';
import { checkPoolSize } from './pool-size.js';

/**
 * Checks the duration options every adapter shares (see `checkDuration`), so each adapter refuses the same
 * values with the same `ValidationError`: `idleTimeoutMs` ≥ 1, `connectTimeoutMs` ≥ 1, `acquireTimeoutMs`
 * ≥ 1, and `maxLifetimeMs` and `statementTimeoutMs` ≥ 0, where 0 means "off"; and the pool sizes
 * (`checkPoolSize`: `max` ≥ 1, `min` ≥ 0 and not above `max`), also on a backend that ignores them, so
 * `max: 0` is refused the same way everywhere. An adapter calls it when its driver is created, then checks
 * its own extra durations the same way.
 */
export function checkDriverDurations(options: DriverOptions): void {
  checkPoolSize(options);
  checkDuration('idleTimeoutMs', options.idleTimeoutMs, { min: 1 });
  checkDuration('maxLifetimeMs', options.maxLifetimeMs);
  checkDuration('connectTimeoutMs', options.connectTimeoutMs, { min: 1 });
  checkDuration('statementTimeoutMs', options.statementTimeoutMs);
  checkDuration('acquireTimeoutMs', options.acquireTimeoutMs, { min: 1 });
}
