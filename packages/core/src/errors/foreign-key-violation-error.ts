import { BerthError } from './berth-error.js';

/**
 * A write would break a foreign key: a row references a row that does not exist, or a delete would leave
 * rows referencing a deleted one under `onDelete: 'restrict'` / `'noAction'`, or (MariaDB, MySQL) a delete's
 * `onDelete: 'cascade'` would run deeper than InnoDB's 15 levels. Raised on the backends that
 * enforce foreign keys (`capabilities.foreignKeys`); MongoDB does not (see docs/relations.md).
 */
export class ForeignKeyViolationError extends BerthError {
  readonly code = 'FOREIGN_KEY_VIOLATION';
  readonly retryable = false;

  constructor(
    /** The entity holding the foreign key, where known. */
    readonly entity: string | undefined,
    /** The `belongsTo` relation the key belongs to, where known. */
    readonly relation: string | undefined,
    /** The constraint's name as the backend reported it. */
    readonly constraint: string | undefined,
    options?: {
      /** The driver's error. */
      cause?: unknown;
      /** Why, where it is not the usual missing or still-referenced row; appended to the message. */
      reason?: string;
    },
  ) {
    const where =
      relation && entity
        ? `foreign key violation on relation ${entity}.${relation}`
        : `foreign key violation${constraint ? ` on ${constraint}` : ''}`;
    super(options?.reason ? `${where}: ${options.reason}` : where, { cause: options?.cause });
  }
}
