import { ValidationError } from '../errors/validation-error.js';

/**
 * Refuses an array with holes (`[1, , 3]`, `new Array(3)`, `delete a[1]`): array methods skip holes, so a
 * hole would otherwise reach an adapter as a missing value (an `IN (, )` list, a `null` match, an
 * undefined row). `what` names the argument in the message.
 */
export function refuseSparse(values: readonly unknown[], what: string, field?: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!(i in values)) {
      throw new ValidationError(`${what} has no element at index ${i} (a sparse array)`, [
        { ...(field === undefined ? {} : { field }), message: `no element at index ${i}` },
      ]);
    }
  }
}
