import {
  type Condition,
  type EntityMeta,
  type ModifyCommand,
  type ModifyManyResult,
  type StoredRow,
  TransactionConflictError,
  CommitOutcomeUnknownError,
  type UpsertCommand,
  type UpsertItem,
  type UpsertOutcome,
  and,
  or,
} from '@berth/core';
import { decodeRow } from '../codec/row-decoder.js';
import type { CompiledStatement } from '../compiler/compiled-statement.js';
import { compileFind } from '../compiler/compile-find.js';
import { compileFindCached } from '../compiler/compile-find-cached.js';
import { compileBoundsCheck, compileGuardedModifyMany } from '../compiler/compile-guarded-modify-many.js';
import { compileInsert } from '../compiler/compile-insert.js';
import { compileModify } from '../compiler/compile-modify.js';
import { compileModifyCached } from '../compiler/compile-modify-cached.js';
import { compileUpdateRows } from '../compiler/compile-update-rows.js';
import { CREATED_COLUMN, compilePostgresUpsert, upsertChunkSize } from '../compiler/compile-upsert.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';
import type { SqlResult } from './sql-result.js';

/** What the write paths need of a `SqlConnection`. */
export interface SqlWriteContext {
  readonly dialect: SqlDialect;
  run(statement: CompiledStatement): Promise<SqlResult>;
  inTransaction(): boolean;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** Attempts of a transaction this code opened itself that lost a deadlock to another (MySQL upserts). */
const OWN_TRANSACTION_ATTEMPTS = 5;
/** Rows per `UPDATE ... CASE` of a MySQL upsert. */
const ROWS_PER_CASE_UPDATE = 500;

/**
 * Runs `work` in the current transaction, or in one of its own; a transaction of its own that fails with
 * `TransactionConflictError` (a deadlock) is tried again from the start, since nothing of it remains.
 */
async function inTransaction<T>(ctx: SqlWriteContext, work: () => Promise<T>): Promise<T> {
  if (ctx.inTransaction()) return work();
  for (let attempt = 1; ; attempt++) {
    await ctx.begin();
    try {
      const result = await work();
      try {
        await ctx.commit();
      } catch (error) {
        // A lost COMMIT resolved as committed must still answer with the operation's result.
        if (error instanceof CommitOutcomeUnknownError && error.resolve)
          throw error.withCommittedValue(result);
        throw error;
      }
      return result;
    } catch (error) {
      if (ctx.inTransaction()) await ctx.rollback().catch(() => undefined);
      if (!(error instanceof TransactionConflictError) || attempt >= OWN_TRANSACTION_ATTEMPTS) throw error;
    }
  }
}

function idOf(where: Condition): string | undefined {
  if (where.type === 'compare' && where.field === 'id' && where.op === 'eq') return where.value as string;
  if (where.type === 'and') for (const c of where.conditions) if (idOf(c) !== undefined) return idOf(c);
  return undefined;
}

function findById(dialect: SqlDialect, entity: EntityMeta, id: string, forUpdate = false): CompiledStatement {
  return compileFindCached(dialect, {
    entity,
    where: { type: 'compare', field: 'id', op: 'eq', value: id },
    orderBy: [{ field: 'id', direction: 'asc' }],
    limit: 1,
    forUpdate,
  });
}

/**
 * One row changed and returned: `UPDATE ... RETURNING` in one statement where the dialect has it;
 * otherwise the UPDATE and a read of the row by id in one transaction.
 */
export function modifyOne(ctx: SqlWriteContext, command: ModifyCommand): Promise<StoredRow | undefined> {
  // Not an async function: `UPDATE ... RETURNING` is every versioned update's one statement on PostgreSQL,
  // and an async function would add a promise and an await to it.
  const { dialect } = ctx;
  const { entity } = command;
  if (!dialect.supportsReturning) return modifyThenRead(ctx, command);
  let sent: Promise<SqlResult>;
  try {
    sent = ctx.run(compileModifyCached(dialect, command, { returning: true, bounds: true }));
  } catch (error) {
    return Promise.reject(error);
  }
  return sent.then(({ rows }) => (rows[0] === undefined ? undefined : decodeRow(dialect, entity, rows[0])));
}

/** `modifyOne` without `RETURNING`: the UPDATE and a read of the row by id, in one transaction. */
async function modifyThenRead(ctx: SqlWriteContext, command: ModifyCommand): Promise<StoredRow | undefined> {
  const { dialect } = ctx;
  const { entity } = command;
  const id = idOf(command.where);
  if (id === undefined) throw new TypeError('modifyOne needs a filter that fixes the id');
  return inTransaction(ctx, async () => {
    const { affectedRows } = await ctx.run(
      compileModifyCached(dialect, command, { returning: false, bounds: true }),
    );
    if (affectedRows === 0) return undefined;
    const { rows } = await ctx.run(findById(dialect, entity, id));
    return rows[0] === undefined ? undefined : decodeRow(dialect, entity, rows[0]);
  });
}

/**
 * Every matching row changed, or none when an operation would leave its bounds on any. Unbounded: one
 * UPDATE. Bounded: one statement with a data-modifying CTE, or a locking read and an UPDATE in a
 * transaction (the rows stay locked between the two, so the check holds for the write).
 */
export async function modifyMany(ctx: SqlWriteContext, command: ModifyCommand): Promise<ModifyManyResult> {
  const { dialect } = ctx;
  const bounded = command.operations.some((op) => op.min !== undefined || op.max !== undefined);
  if (!bounded) {
    const { affectedRows } = await ctx.run(
      compileModify(dialect, command, { returning: false, bounds: false }),
    );
    return { modified: affectedRows, outOfBounds: 0 };
  }
  if (dialect.supportsDataModifyingCte) {
    const { rows } = await ctx.run(compileGuardedModifyMany(dialect, command));
    return { modified: Number(rows[0]?.modified ?? 0), outOfBounds: Number(rows[0]?.outside ?? 0) };
  }
  return inTransaction(ctx, async () => {
    const { rows } = await ctx.run(compileBoundsCheck(dialect, command));
    const outside = Number(rows[0]?.outside ?? 0);
    if (outside > 0) return { modified: 0, outOfBounds: outside };
    const { affectedRows } = await ctx.run(
      compileModify(dialect, command, { returning: false, bounds: true }),
    );
    return { modified: affectedRows, outOfBounds: 0 };
  });
}

/** A string that identifies a row's key values (Dates by instant). */
function keyIdentity(key: readonly string[], row: StoredRow): string {
  return JSON.stringify(key.map((name) => row[name]));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** The upsert, in the dialect's style (see `SqlDialect.upsertStyle`); outcomes in item order. */
export async function upsert(ctx: SqlWriteContext, command: UpsertCommand): Promise<UpsertOutcome[]> {
  const { dialect } = ctx;
  const size = upsertChunkSize(dialect, command.entity.fieldNames.length);
  const parts = chunks(command.items, size);
  const onConflictStyle = dialect.upsertStyle === 'on-conflict';
  const write = () =>
    sequence(parts, (part) =>
      onConflictStyle ? onConflict(ctx, command, part) : lockingRead(ctx, command, part),
    );
  // One ON CONFLICT statement is atomic by itself; anything more runs in a transaction.
  if (onConflictStyle && parts.length === 1) return write();
  return inTransaction(ctx, write);
}

async function sequence<T, R>(parts: readonly T[], run: (part: T) => Promise<R[]>): Promise<R[]> {
  const results: R[] = [];
  for (const part of parts) results.push(...(await run(part)));
  return results;
}

async function onConflict(
  ctx: SqlWriteContext,
  command: UpsertCommand,
  items: readonly UpsertItem[],
): Promise<UpsertOutcome[]> {
  const { dialect } = ctx;
  const { entity, key } = command;
  const { rows } = await ctx.run(compilePostgresUpsert(dialect, command, items));
  const byKey = new Map<string, UpsertOutcome>();
  for (const raw of rows) {
    const row = decodeRow(dialect, entity, raw);
    byKey.set(keyIdentity(key, row), { row, created: raw[CREATED_COLUMN] === true });
  }
  return items.map((item) => {
    const outcome = byKey.get(keyIdentity(key, item.insert));
    if (!outcome) throw new TypeError(`the upsert of ${entity.name} returned no row for one key`);
    return outcome;
  });
}

/**
 * MySQL/MariaDB, inside a transaction: lock the rows holding the keys (`FOR UPDATE`; a missing key's gap
 * is locked too, so a concurrent upsert of it waits or deadlocks, and the deadlock is retried), then one
 * INSERT of the missing rows and one `UPDATE ... CASE` of the others. Not `ON DUPLICATE KEY UPDATE`: it
 * fires on a duplicate of ANY unique index and would change the row holding another key's value.
 */
async function lockingRead(
  ctx: SqlWriteContext,
  command: UpsertCommand,
  items: readonly UpsertItem[],
): Promise<UpsertOutcome[]> {
  const { dialect } = ctx;
  const { entity, key } = command;
  const keyed = items.map((item) =>
    and(
      ...key.map(
        (name): Condition => ({ type: 'compare', field: name, op: 'eq', value: item.insert[name] as never }),
      ),
    ),
  );
  const { rows } = await ctx.run(
    compileFind(dialect, {
      entity,
      where: or(...keyed),
      orderBy: [{ field: 'id', direction: 'asc' }],
      forUpdate: true,
    }),
  );
  const existing = new Map<string, StoredRow>();
  for (const raw of rows) {
    const row = decodeRow(dialect, entity, raw);
    existing.set(keyIdentity(key, row), row);
  }
  const outcomes: UpsertOutcome[] = [];
  const inserts: StoredRow[] = [];
  const changes: { id: string; set: StoredRow }[] = [];
  for (const item of items) {
    const current = existing.get(keyIdentity(key, item.insert));
    if (!current) {
      inserts.push(item.insert);
      outcomes.push({ row: item.insert, created: true });
      continue;
    }
    const set: StoredRow = { ...item.set, ...command.stamp };
    if (command.bump !== undefined) set[command.bump] = (current[command.bump] as number) + 1;
    changes.push({ id: current.id as string, set });
    outcomes.push({ row: { ...current, ...set }, created: false });
  }
  for (const statement of compileInsert(dialect, { entity, rows: inserts })) await ctx.run(statement);
  for (const part of chunks(changes, ROWS_PER_CASE_UPDATE)) {
    if (Object.keys(part[0]!.set).length === 0) continue;
    await ctx.run(compileUpdateRows(dialect, entity, part));
  }
  return outcomes;
}
