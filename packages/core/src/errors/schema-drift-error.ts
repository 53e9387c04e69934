import { BerthError } from './berth-error.js';

/**
 * The live schema differs from the entities in a way `ensureSchema()` does not change (a missing column,
 * another type, nullability or length): raised at start-up instead of at the first query. `differences`
 * names each one; `berth migrate generate` writes the migration that fixes them.
 */
export class SchemaDriftError extends BerthError {
  readonly code = 'SCHEMA_DRIFT';
  readonly retryable = false;

  constructor(
    /** One line per difference, naming the table (and column) and what differs: a column missing, another type... */
    readonly differences: readonly string[],
  ) {
    super(
      `the database schema does not match the entities: ${differences.join('; ')}. ` +
        'ensureSchema() only creates missing tables and indexes; run `berth migrate generate <name>` ' +
        'and `berth migrate up` to change existing tables (see docs/migrations.md)',
    );
  }
}
