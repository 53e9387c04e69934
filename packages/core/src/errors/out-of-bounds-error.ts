import { BerthError } from './berth-error.js';

/**
 * An atomic operator (`increment`, `decrement`, `multiply`) would take a field outside its declared range
 * (`min`/`max`, and the safe-integer range for integer fields). The database checked the bound in the
 * same statement as the write, so nothing was written. Not retryable: the same change fails again until
 * the stored value moves.
 */
export class OutOfBoundsError extends BerthError {
  readonly code = 'OUT_OF_BOUNDS';
  readonly retryable = false;

  constructor(
    /** The entity's name, as given to `defineEntity`. */
    readonly entity: string,
    /** The fields whose new value would leave their range. */
    readonly fields: readonly string[],
    /** The row's id for a single-row write; undefined for `updateMany`. */
    readonly id?: string | number,
    /** For `updateMany`: how many matching rows would have left their range. */
    readonly rows?: number,
  ) {
    super(
      `${entity}${id === undefined ? '' : ` ${JSON.stringify(id)}`}: the change would take ${fields.join(', ')} out of ` +
        `its declared range${rows === undefined ? '' : ` on ${rows} row${rows === 1 ? '' : 's'}`}; nothing was written`,
    );
  }
}
