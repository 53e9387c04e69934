import type { DriverConnection } from '../driver/driver-connection.js';
import type { EntityMeta } from '../entity/define-entity.js';
import type { ParsedUpdate } from '../entity/parse-update.js';
import type { ModifyManyResult } from '../driver/write-commands.js';
import { CommitOutcomeUnknownError } from '../errors/commit-outcome-unknown-error.js';
import { OutOfBoundsError } from '../errors/out-of-bounds-error.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Condition } from '../query/condition.js';
import { normalizeWhere } from '../query/normalize-where.js';
import { hasRelationFilter } from '../relation/relation-filter.js';

/**
 * The filter of a set-based write, normalized as `find` normalizes it. It must be given: a forgotten
 * filter must not change every row, so "every row" is the explicit `{}`.
 */
export function setWhere(entity: EntityMeta, where: unknown, method: string): Condition {
  if (where === undefined || where === null) {
    throw new ValidationError(`${method} needs a filter; pass {} to change every ${entity.name} row`, [
      { field: 'where', message: 'required' },
    ]);
  }
  const condition = normalizeWhere(entity, where as never);
  // MySQL refuses a subquery on the table being changed, and MongoDB's resolution would not be atomic
  // with the write: filter by relation in a read, then write by id.
  if (hasRelationFilter(condition))
    throw new ValidationError(`${method} does not take relation filters; read the ids first`, [
      { field: 'where', message: 'relation filter' },
    ]);
  return condition;
}

/**
 * Changes every row matching `where` in one statement (or one transaction where the backend needs it),
 * stamping `updatedAt` and bumping the version of each; resolves to the rows changed. All or nothing: when
 * an operator would take any matching row out of its bounds, nothing is written and `OutOfBoundsError`
 * says on how many rows.
 */
export async function updateWhere(
  c: DriverConnection,
  entity: EntityMeta,
  where: Condition,
  change: ParsedUpdate,
): Promise<number> {
  if (Object.keys(change.set).length === 0 && change.operations.length === 0) {
    throw new ValidationError(`updateMany of ${entity.name} needs at least one field to change`, [
      { field: 'patch', message: 'empty' },
    ]);
  }
  const { updatedAtField, versionField } = entity;
  let result: ModifyManyResult;
  try {
    result = await c.modifyMany({
      entity,
      where,
      set: change.set,
      operations: change.operations,
      stamp: updatedAtField ? { [updatedAtField]: new Date() } : {},
      bump: versionField,
    });
  } catch (error) {
    // The write ran its own transaction and lost its COMMIT's reply: if the commit is found to have taken
    // effect, the answer is the count, not the driver's result.
    if (error instanceof CommitOutcomeUnknownError && error.committed) {
      throw error.withCommittedValue((error.committed.value as ModifyManyResult).modified);
    }
    throw error;
  }
  if (result.outOfBounds > 0) {
    const fields = change.operations.map((op) => op.field);
    throw new OutOfBoundsError(entity.name, fields, undefined, result.outOfBounds);
  }
  return result.modified;
}
