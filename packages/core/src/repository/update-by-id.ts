import type { StoredRow } from '../driver/commands.js';
import type { DriverConnection } from '../driver/driver-connection.js';
import type { ModifyCommand, NumericOperation } from '../driver/write-commands.js';
import type { EntityMeta } from '../entity/define-entity.js';
import { type ParsedUpdate, applyOperation, withinBounds } from '../entity/parse-update.js';
import { NotFoundError } from '../errors/not-found-error.js';
import { OptimisticLockError } from '../errors/optimistic-lock-error.js';
import { OutOfBoundsError } from '../errors/out-of-bounds-error.js';
import { type Condition, and } from '../query/condition.js';
import { rowsEqual, valuesEqual } from './values-equal.js';

/**
 * Attempts of an update without `expectedVersion` that loses a race to another writer. Every lost race
 * means another writer succeeded, so writers as a whole always progress; the cap only stops one starved by
 * an endless stream of others. It must exceed the writers that can race at once (a pool's worth), or an
 * update the contract says applies fails with `OptimisticLockError` under ordinary contention.
 */
const UPDATE_ATTEMPTS = 100;

/** What one update by id needs to know. */
export interface UpdateByIdRequest {
  readonly entity: EntityMeta;
  readonly id: string | number;
  readonly change: ParsedUpdate;
  readonly expectedVersion: number | undefined;
  /** The backend returns written rows (`capabilities.returning`): the write is one statement. */
  readonly returning: boolean;
}

function compare(field: string, value: unknown): Condition {
  return { type: 'compare', field, op: 'eq', value: value as never };
}

async function readRow(
  c: DriverConnection,
  entity: EntityMeta,
  id: string | number,
): Promise<StoredRow | undefined> {
  const rows = await c.find({
    entity,
    where: compare('id', id),
    orderBy: [{ field: 'id', direction: 'asc' }],
    limit: 1,
  });
  return rows[0];
}

function outOfBounds(operations: readonly NumericOperation[], row: StoredRow): string[] {
  return operations.filter((op) => !withinBounds(op, row[op.field] as number)).map((op) => op.field);
}

/** The row with the change applied in memory (bounds are the caller's to check). */
function applied(row: StoredRow, change: ParsedUpdate): StoredRow {
  const next: StoredRow = { ...row, ...change.set };
  for (const op of change.operations) next[op.field] = applyOperation(op, row[op.field] as number);
  return next;
}

function unchanged(entity: EntityMeta, row: StoredRow, change: ParsedUpdate): boolean {
  const next = applied(row, change);
  return Object.keys(next).every((name) => valuesEqual(entity.fields[name]!, row[name], next[name]));
}

/**
 * Changes one row by id. With `returning`, the success path is ONE statement: the write is conditional on
 * the id, the expected version, the operators' bounds and the patch changing something, and returns the
 * row. Only when it matches nothing is the row read, to tell not found, version mismatch ("expected N,
 * found M"), out of bounds and a patch that changes nothing apart (the last returns the row as it is;
 * a row changed in between is tried again when no version was expected).
 *
 * Without `returning` (MySQL/MariaDB has no `UPDATE ... RETURNING`), the row is read first and the write
 * is conditional on the version read (or, on unversioned entities, on the operated fields' values read),
 * so operators are computed from exactly the value the bounds were checked against.
 */
export function updateById(c: DriverConnection, request: UpdateByIdRequest): Promise<StoredRow> {
  // Not an async function: it only picks the path, and an async one returning another's promise costs
  // a promise and two extra turns of the microtask queue on every update.
  const { change } = request;
  if (Object.keys(change.set).length === 0 && change.operations.length === 0) return currentRow(c, request);
  return request.returning ? updateReturning(c, request) : updateReadThenWrite(c, request);
}

/** Nothing to write: the row as it is (after the same checks a write makes). */
async function currentRow(c: DriverConnection, request: UpdateByIdRequest): Promise<StoredRow> {
  const { entity, id, expectedVersion } = request;
  const current = await readRow(c, entity, id);
  if (!current) throw new NotFoundError(entity.name, id);
  const version = entity.versionField ? (current[entity.versionField] as number) : undefined;
  if (expectedVersion !== undefined && version !== expectedVersion)
    throw new OptimisticLockError(entity.name, id, expectedVersion, version);
  return current;
}

async function updateReturning(c: DriverConnection, request: UpdateByIdRequest): Promise<StoredRow> {
  const { entity, id, change, expectedVersion } = request;
  const { versionField, updatedAtField } = entity;
  const where =
    versionField && expectedVersion !== undefined
      ? and(compare('id', id), compare(versionField, expectedVersion))
      : compare('id', id);
  for (let attempt = 1; ; attempt++) {
    const command: ModifyCommand = {
      entity,
      where,
      set: change.set,
      operations: change.operations,
      stamp: updatedAtField ? { [updatedAtField]: new Date() } : {},
      bump: versionField,
      changedOnly: true,
    };
    const written = await c.modifyOne(command);
    if (written) return written;
    const current = await readRow(c, entity, id);
    if (!current) throw new NotFoundError(entity.name, id);
    const version = versionField ? (current[versionField] as number) : undefined;
    if (expectedVersion !== undefined && version !== expectedVersion)
      throw new OptimisticLockError(entity.name, id, expectedVersion, version);
    const outside = outOfBounds(change.operations, current);
    if (outside.length > 0) throw new OutOfBoundsError(entity.name, outside, id);
    if (unchanged(entity, current, change)) return current;
    // The row changed between the write and the read; the write's conditions are current again.
    if (expectedVersion !== undefined || attempt >= UPDATE_ATTEMPTS)
      throw new OptimisticLockError(entity.name, id, expectedVersion ?? version, version);
  }
}

async function updateReadThenWrite(c: DriverConnection, request: UpdateByIdRequest): Promise<StoredRow> {
  const { entity, id, change, expectedVersion } = request;
  const { versionField, updatedAtField } = entity;
  for (let attempt = 1; ; attempt++) {
    const current = await readRow(c, entity, id);
    if (!current) throw new NotFoundError(entity.name, id);
    const currentVersion = versionField ? (current[versionField] as number) : undefined;
    if (expectedVersion !== undefined && currentVersion !== expectedVersion) {
      throw new OptimisticLockError(entity.name, id, expectedVersion, currentVersion);
    }
    const outside = outOfBounds(change.operations, current);
    if (outside.length > 0) throw new OutOfBoundsError(entity.name, outside, id);
    const next = applied(current, change);
    if (rowsEqual(entity, current, next)) return current;
    const set: StoredRow = { ...change.set };
    for (const op of change.operations) set[op.field] = next[op.field];
    if (versionField) set[versionField] = next[versionField] = (currentVersion as number) + 1;
    if (updatedAtField) set[updatedAtField] = next[updatedAtField] = new Date();
    // The write holds only if the row is still as read: by version, or by the operated fields' values.
    const guards = versionField
      ? [compare(versionField, currentVersion)]
      : change.operations.map((op) => compare(op.field, current[op.field]));
    const matched = await c.update({ entity, where: and(compare('id', id), ...guards), set });
    if (matched === 1) return next;
    const retryable = versionField !== undefined || change.operations.length > 0;
    if (expectedVersion !== undefined || attempt >= UPDATE_ATTEMPTS || !retryable) {
      throw new OptimisticLockError(entity.name, id, expectedVersion ?? currentVersion);
    }
  }
}
