import { ValidationError } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';

/**
 * Collects the values a statement binds while it is being written, handing back each one's placeholder,
 * so placeholders are numbered in the order they appear in the text.
 */
export class ParameterList {
  readonly #dialect: SqlDialect;
  readonly #values: unknown[] = [];

  constructor(dialect: SqlDialect) {
    this.#dialect = dialect;
  }

  /** Binds a value (already encoded for the driver) and returns its placeholder. */
  add(value: unknown): string {
    this.#values.push(value);
    return this.#dialect.placeholder(this.#values.length);
  }

  /**
   * The values in placeholder order. Throws `ValidationError` when the statement would bind more than the
   * server accepts (a filter with tens of thousands of values), rather than letting the server refuse it.
   */
  values(): unknown[] {
    if (this.#values.length > this.#dialect.maxParameters) {
      throw new ValidationError(
        `the statement needs ${this.#values.length} bound values; at most ${this.#dialect.maxParameters} are allowed`,
      );
    }
    return this.#values;
  }
}
