import {
  type Condition,
  type EntityMeta,
  type ModifyCommand,
  type ModifyManyResult,
  type NumericOperation,
  type StoredRow,
  TransactionsUnsupportedError,
  UniqueViolationError,
  type UpsertCommand,
  decimalOperand,
  type UpsertItem,
  type UpsertOutcome,
} from '@berth/core';
import type { AnyBulkWriteOperation, ClientSession, Collection, Document } from 'mongodb';
import { compileFilter, documentKey } from './compile-filter.js';
import { decodeDocument, encodeDocument, encodeSet } from './document-codec.js';

/** What the write paths need of a `MongoConnection`. */
export interface MongoWriteContext {
  collection(entity: EntityMeta): Collection;
  /** The session and timeouts every command carries. */
  options(): { session: ClientSession; maxTimeMS?: number };
  /** Runs one driver operation, mapping its errors to berth's (and bounding it in time). */
  run<T>(entity: EntityMeta, work: () => Promise<T>): Promise<T>;
  /**
   * Runs one driver write that may change several documents: as `run`, and outside a transaction in a
   * transaction of its own (all or nothing), or on a standalone server alone, a timeout then being an
   * unknown outcome (it may be partly applied).
   */
  many<T>(entity: EntityMeta, work: () => Promise<T>): Promise<T>;
  inTransaction(): boolean;
  transactions: boolean;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

function operationExpression(op: NumericOperation): Document {
  const stored = `$${documentKey(op.field)}`;
  if (op.round !== undefined) return roundedProduct(stored, op.by);
  return op.op === 'increment' ? { $add: [stored, op.by] } : { $multiply: [stored, op.by] };
}

/**
 * `round(stored * by)`, halves away from zero, computed exactly in doubles (no Decimal128, which not every
 * server berth talks to computes with). With `by = units + fraction / M` (M = 10^scale, scale <= 7) and
 * the stored magnitude `a = hi * M + lo` (lo = a mod M):
 * `a * by = a * units + hi * fraction + (lo * fraction) / M`, where every product is an integer below
 * 2^53 (lo * fraction < M^2 <= 10^14), so the quotient and remainder of the last term, and the sum, are
 * exact; the remainder decides the half. Results past the safe-integer range are refused by the bounds.
 */
function roundedProduct(stored: string, by: number): Document {
  const d = decimalOperand(by)!;
  const scale = 10 ** d.scale;
  const magnitude = {
    $let: {
      vars: { a: { $abs: { $toDouble: stored } } },
      in: {
        $let: {
          vars: { lo: { $mod: ['$$a', scale] } },
          in: {
            $let: {
              vars: {
                hi: { $divide: [{ $subtract: ['$$a', '$$lo'] }, scale] },
                part: { $multiply: ['$$lo', d.fraction] },
              },
              in: {
                $let: {
                  vars: { rest: { $mod: ['$$part', scale] } },
                  in: {
                    $add: [
                      { $multiply: ['$$a', d.units] },
                      { $multiply: ['$$hi', d.fraction] },
                      { $divide: [{ $subtract: ['$$part', '$$rest'] }, scale] },
                      { $cond: [{ $gte: [{ $multiply: ['$$rest', 2] }, scale] }, 1, 0] },
                    ],
                  },
                },
              },
            },
          },
        },
      },
    },
  };
  // Negative when exactly one of the stored value and the operand is; 0 - 0 stays +0 (never -0).
  const storedNegative = { $lt: [stored, 0] };
  const negative = d.negative ? { $not: [storedNegative] } : storedNegative;
  return { $cond: [negative, { $subtract: [0, magnitude] }, magnitude] };
}

/** `$expr` conditions keeping every operation's result within its bounds. */
function boundsExpressions(operations: readonly NumericOperation[]): Document[] {
  const tests: Document[] = [];
  for (const op of operations) {
    if (op.min !== undefined) tests.push({ $gte: [operationExpression(op), op.min] });
    if (op.max !== undefined) tests.push({ $lte: [operationExpression(op), op.max] });
  }
  return tests;
}

function insideBounds(operations: readonly NumericOperation[]): Document {
  const tests = boundsExpressions(operations);
  return tests.length === 0 ? {} : { $expr: { $and: tests } };
}

/**
 * "Some value would change": `$ne` on each set field, or an operation's result differing from the stored
 * value. MongoDB compares embedded documents field by field in order, so a JSON value equal but for key
 * order counts as a change here.
 */
function changed(entity: EntityMeta, command: ModifyCommand): Document {
  const set = encodeSet(entity, command.set);
  const tests: Document[] = Object.entries(set).map(([key, value]) => ({ [key]: { $ne: value } }));
  for (const op of command.operations) {
    tests.push({ $expr: { $ne: [operationExpression(op), `$${documentKey(op.field)}`] } });
  }
  return tests.length === 0 ? { _id: { $exists: false } } : { $or: tests };
}

/**
 * The update as a pipeline (`[{ $set }]`), needed when an operation is an expression that `$inc`/`$mul`
 * cannot say (a rounding multiply). Values are wrapped in `$literal`, so a string starting with `$` stays
 * a value; every expression reads the document as it was before the update, as operators do.
 */
function updatePipeline(entity: EntityMeta, command: ModifyCommand): Document[] {
  const set: Document = {};
  for (const [key, value] of Object.entries(encodeSet(entity, { ...command.set, ...command.stamp }))) {
    set[key] = { $literal: value };
  }
  for (const op of command.operations) set[documentKey(op.field)] = operationExpression(op);
  if (command.bump !== undefined) {
    const version = documentKey(command.bump);
    set[version] = { $add: [`$${version}`, 1] };
  }
  return [{ $set: set }];
}

/** The update document: `$set` (values and stamp), `$inc` (increments and the version), `$mul`. */
function updateDocument(entity: EntityMeta, command: ModifyCommand): Document | Document[] {
  if (command.operations.some((op) => op.round !== undefined)) return updatePipeline(entity, command);
  const update: Document = {};
  const set = encodeSet(entity, { ...command.set, ...command.stamp });
  if (Object.keys(set).length > 0) update.$set = set;
  const inc: Document = {};
  const mul: Document = {};
  for (const op of command.operations) {
    if (op.op === 'increment') inc[documentKey(op.field)] = op.by;
    else mul[documentKey(op.field)] = op.by;
  }
  if (command.bump !== undefined) inc[documentKey(command.bump)] = 1;
  // MongoDB refuses an empty operator document.
  if (Object.keys(inc).length > 0) update.$inc = inc;
  if (Object.keys(mul).length > 0) update.$mul = mul;
  return update;
}

function filterOf(where: Condition, ...more: Document[]): Document {
  const parts = [compileFilter(where), ...more].filter((part) => Object.keys(part).length > 0);
  return parts.length === 0 ? {} : parts.length === 1 ? parts[0]! : { $and: parts };
}

/** One document changed and returned in one command: `findOneAndUpdate` with every condition in its filter. */
export async function modifyOne(
  ctx: MongoWriteContext,
  command: ModifyCommand,
): Promise<StoredRow | undefined> {
  const { entity } = command;
  const extra = [insideBounds(command.operations)];
  if (command.changedOnly) extra.push(changed(entity, command));
  const filter = filterOf(command.where, ...extra);
  const update = updateDocument(entity, command);
  const doc = await ctx.run(entity, () =>
    ctx.collection(entity).findOneAndUpdate(filter, update, { ...ctx.options(), returnDocument: 'after' }),
  );
  return doc ? decodeDocument(entity, doc) : undefined;
}

/**
 * Every matching document changed. Unbounded: one `updateMany` (in a transaction of its own outside one,
 * see `MongoWriteContext.many`). Bounded: in a transaction (the current
 * one, or its own), count the documents an operation would take out of bounds, and update only if there
 * are none; a concurrent write to any of them makes the transaction fail with a write conflict
 * (`TransactionConflictError`) rather than let a stale count stand. Without transactions a bounded
 * change is refused with `TransactionsUnsupportedError`.
 */
export async function modifyMany(ctx: MongoWriteContext, command: ModifyCommand): Promise<ModifyManyResult> {
  const { entity } = command;
  const update = updateDocument(entity, command);
  const bounds = boundsExpressions(command.operations);
  const collection = ctx.collection(entity);
  if (bounds.length === 0) {
    const filter = filterOf(command.where);
    const result = await ctx.many(entity, () => collection.updateMany(filter, update, ctx.options()));
    return { modified: result.matchedCount, outOfBounds: 0 };
  }
  const work = async (): Promise<ModifyManyResult> => {
    const outsideFilter = filterOf(command.where, { $expr: { $not: [{ $and: bounds }] } });
    const outside = await ctx.run(entity, () => collection.countDocuments(outsideFilter, ctx.options()));
    if (outside > 0) return { modified: 0, outOfBounds: outside };
    const filter = filterOf(command.where, insideBounds(command.operations));
    const result = await ctx.run(entity, () => collection.updateMany(filter, update, ctx.options()));
    return { modified: result.matchedCount, outOfBounds: 0 };
  };
  return ownTransaction(ctx, work);
}

async function ownTransaction<T>(ctx: MongoWriteContext, work: () => Promise<T>): Promise<T> {
  if (ctx.inTransaction()) return work();
  if (!ctx.transactions) throw new TransactionsUnsupportedError();
  await ctx.begin();
  try {
    const result = await work();
    await ctx.commit();
    return result;
  } catch (error) {
    await ctx.rollback().catch(() => undefined);
    throw error;
  }
}

function keyFilter(key: readonly string[], insert: StoredRow): Document {
  return Object.fromEntries(key.map((name) => [documentKey(name), { $eq: insert[name] }]));
}

function isKeyDuplicate(error: unknown, key: readonly string[]): boolean {
  return (
    error instanceof UniqueViolationError &&
    error.fields.length === key.length &&
    key.every((name) => error.fields.includes(name))
  );
}

/**
 * The upsert update of one item: `$set` of its changes and the stamp, `$inc` of the version (which also
 * gives 1 on insert), and `$setOnInsert` of the rest of the new document. Usable only when every `set`
 * value equals the item's insert value (MongoDB applies `$set` on insert too).
 */
function upsertUpdate(entity: EntityMeta, command: UpsertCommand, item: UpsertItem): Document {
  const set = encodeSet(entity, { ...item.set, ...command.stamp });
  const insert = encodeDocument(entity, item.insert);
  const version = command.bump === undefined ? undefined : documentKey(command.bump);
  const onInsert = Object.fromEntries(
    Object.entries(insert).filter(([name]) => !Object.hasOwn(set, name) && name !== version),
  );
  const update: Document = { $setOnInsert: onInsert };
  if (Object.keys(set).length > 0) update.$set = set;
  if (version !== undefined) update.$inc = { [version]: 1 };
  return update;
}

function setMatchesInsert(entity: EntityMeta, item: UpsertItem): boolean {
  const insert = encodeDocument(entity, item.insert);
  const set = encodeSet(entity, item.set);
  return Object.entries(set).every(([name, value]) => JSON.stringify(value) === JSON.stringify(insert[name]));
}

/**
 * Upserts. One item whose changes equal its insert values: `findOneAndUpdate` with `upsert: true`, tried
 * once more on a duplicate of the key (two upserts of a new key at once: the loser finds the winner's
 * document), as MongoDB's documentation requires. One item whose changes differ from its insert values:
 * `findOneAndUpdate` without upsert, then `insertOne`, again once more on a duplicate of the key. Several
 * items: one ordered `bulkWrite` of upserting `updateOne`s and a read of the rows, in a transaction.
 */
export async function upsert(ctx: MongoWriteContext, command: UpsertCommand): Promise<UpsertOutcome[]> {
  if (command.items.length === 1) return [await upsertOne(ctx, command, command.items[0]!)];
  return ownTransaction(ctx, () => upsertMany(ctx, command));
}

async function upsertOne(
  ctx: MongoWriteContext,
  command: UpsertCommand,
  item: UpsertItem,
): Promise<UpsertOutcome> {
  const { entity, key } = command;
  const collection = ctx.collection(entity);
  const filter = keyFilter(key, item.insert);
  const direct = setMatchesInsert(entity, item);
  for (let attempt = 1; ; attempt++) {
    try {
      if (direct) {
        const result = await ctx.run(entity, () =>
          collection.findOneAndUpdate(filter, upsertUpdate(entity, command, item), {
            ...ctx.options(),
            upsert: true,
            returnDocument: 'after',
            includeResultMetadata: true,
          }),
        );
        const created = result.lastErrorObject?.updatedExisting !== true;
        return { row: decodeDocument(entity, result.value!), created };
      }
      const update = updateDocument(entity, {
        entity,
        where: { type: 'literal', value: true },
        set: item.set,
        operations: [],
        stamp: command.stamp,
        bump: command.bump,
      });
      const existing = await ctx.run(entity, () =>
        collection.findOneAndUpdate(filter, update, { ...ctx.options(), returnDocument: 'after' }),
      );
      if (existing) return { row: decodeDocument(entity, existing), created: false };
      const doc = encodeDocument(entity, item.insert);
      await ctx.run(entity, () => collection.insertOne(doc, ctx.options()));
      return { row: item.insert, created: true };
    } catch (error) {
      if (attempt >= 2 || !isKeyDuplicate(error, key) || ctx.inTransaction()) throw error;
    }
  }
}

async function upsertMany(ctx: MongoWriteContext, command: UpsertCommand): Promise<UpsertOutcome[]> {
  const { entity, key } = command;
  const collection = ctx.collection(entity);
  const operations: AnyBulkWriteOperation[] = command.items.map((item) => ({
    updateOne: {
      filter: keyFilter(key, item.insert),
      update: upsertUpdate(entity, command, item),
      upsert: true,
    },
  }));
  const result = await ctx.run(entity, () =>
    collection.bulkWrite(operations, { ...ctx.options(), ordered: true }),
  );
  const created = new Set(Object.keys(result.upsertedIds).map(Number));
  const filter = { $or: command.items.map((item) => keyFilter(key, item.insert)) };
  const docs = await ctx.run(entity, () => collection.find(filter, ctx.options()).toArray());
  const byKey = new Map<string, StoredRow>();
  for (const doc of docs) {
    const row = decodeDocument(entity, doc);
    byKey.set(JSON.stringify(key.map((name) => row[name])), row);
  }
  return command.items.map((item, index) => {
    const row = byKey.get(JSON.stringify(key.map((name) => item.insert[name])));
    if (!row) throw new TypeError(`the upsert of ${entity.name} left no document for one key`);
    return { row, created: created.has(index) };
  });
}
