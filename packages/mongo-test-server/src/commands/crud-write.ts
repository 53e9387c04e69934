import { BSON } from 'bson';
import type { Document } from 'bson';
import { cloneDocument, isPlainObject, valueKey, withId } from '../bson-values.js';
import { CommandError, ErrorCodes, toCommandError } from '../errors.js';
import { applyUpdate, compileFilter, findDocuments, isReplacement, upsertSeed } from '../query/engine.js';
import type { Collection } from '../storage/collection.js';
import { documentArray, optionalDocument, targetCollection } from './arguments.js';
import type { CommandContext, CommandHandler } from './context.js';
import { validateDocument } from './document-validation.js';

/**
 * Errors that must abort the whole command rather than become a `writeErrors` entry: the driver
 * only looks for `errorLabels` (TransientTransactionError) on the top-level reply.
 */
function isFatal(error: CommandError): boolean {
  return error.code === ErrorCodes.WriteConflict || error.code === ErrorCodes.NoSuchTransaction;
}

function sameDocument(a: Document, b: Document): boolean {
  return Buffer.compare(BSON.serialize(a), BSON.serialize(b)) === 0;
}

function assertStorable(doc: Document): void {
  if (Array.isArray(doc._id))
    throw new CommandError(ErrorCodes.BadValue, "The '_id' value cannot be of type array");
  if (doc._id instanceof RegExp)
    throw new CommandError(ErrorCodes.BadValue, "The '_id' value cannot be of type regex");
}

function insertOne(ctx: CommandContext, collection: Collection, raw: Document): Document {
  const doc = withId(cloneDocument(raw));
  assertStorable(doc);
  validateDocument(ctx.command, collection, doc);
  ctx.view.beforeWrite(collection, valueKey(doc._id));
  collection.insert(doc);
  return doc;
}

/** Runs write statements, collecting per-statement errors the way mongod does (ordered stops). */
function runStatements<T>(
  statements: T[],
  ordered: boolean,
  run: (statement: T, index: number) => void,
): Document[] {
  const writeErrors: Document[] = [];
  for (const [index, statement] of statements.entries()) {
    try {
      run(statement, index);
    } catch (error) {
      const commandError = toCommandError(error);
      if (isFatal(commandError)) throw commandError;
      writeErrors.push(commandError.toWriteError(index));
      if (ordered) break;
    }
  }
  return writeErrors;
}

function withWriteErrors(reply: Document, writeErrors: Document[]): Document {
  return writeErrors.length > 0 ? { ...reply, writeErrors, ok: 1 } : { ...reply, ok: 1 };
}

/** `insert`: ordered or unordered batch insert. */
const insert: CommandHandler = (ctx) => {
  const name = targetCollection(ctx);
  const documents = documentArray(ctx.command, 'documents');
  const collection = ctx.view.write(ctx.db, name);
  let n = 0;
  const writeErrors = runStatements(documents, ctx.command.ordered !== false, (doc) => {
    insertOne(ctx, collection, doc);
    n++;
  });
  return withWriteErrors({ n }, writeErrors);
};

interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId?: unknown;
  before?: Document;
  after?: Document;
}

/** Shared by `update` and `findAndModify`: update the first/all matches or upsert. */
function updateMatching(
  ctx: CommandContext,
  collection: Collection,
  spec: {
    q: Document;
    u: unknown;
    multi: boolean;
    upsert: boolean;
    sort?: Document;
    arrayFilters?: Document[];
  },
): UpdateOutcome {
  if (spec.multi && isPlainObject(spec.u) && isReplacement(spec.u)) {
    throw new CommandError(
      ErrorCodes.FailedToParse,
      'multi update is not supported for replacement-style update',
    );
  }
  const targets = findDocuments(collection.documents(), {
    filter: spec.q,
    sort: spec.sort,
    limit: spec.multi ? 0 : 1,
  });
  const outcome: UpdateOutcome = { matched: targets.length, modified: 0 };
  for (const target of targets) {
    const updated = applyUpdate(target, spec.u, { query: spec.q, arrayFilters: spec.arrayFilters });
    outcome.before ??= target;
    outcome.after ??= updated;
    if (sameDocument(target, updated)) continue;
    assertStorable(updated);
    validateDocument(ctx.command, collection, updated, target);
    ctx.view.beforeWrite(collection, valueKey(target._id));
    collection.replace(updated);
    outcome.modified++;
  }
  if (targets.length === 0 && spec.upsert) {
    const doc = withId(
      applyUpdate(upsertSeed(spec.q), spec.u, { inserting: true, arrayFilters: spec.arrayFilters }),
    );
    insertOne(ctx, collection, doc);
    outcome.upsertedId = doc._id;
    outcome.after = doc;
  }
  return outcome;
}

/** `update`: multi, upsert, arrayFilters, replacement and pipeline updates. */
const update: CommandHandler = (ctx) => {
  const name = targetCollection(ctx);
  const statements = documentArray(ctx.command, 'updates');
  const collection = ctx.view.write(ctx.db, name);
  let n = 0;
  let nModified = 0;
  const upserted: Document[] = [];
  const writeErrors = runStatements(statements, ctx.command.ordered !== false, (statement, index) => {
    const q = optionalDocument(statement, 'q') ?? {};
    const arrayFilters = Array.isArray(statement.arrayFilters)
      ? (statement.arrayFilters as Document[])
      : undefined;
    const outcome = updateMatching(ctx, collection, {
      q,
      u: statement.u,
      multi: statement.multi === true,
      upsert: statement.upsert === true,
      sort: optionalDocument(statement, 'sort'),
      arrayFilters,
    });
    n += outcome.matched;
    nModified += outcome.modified;
    if (outcome.upsertedId !== undefined) {
      n += 1;
      upserted.push({ index, _id: outcome.upsertedId });
    }
  });
  const reply: Document = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  return withWriteErrors(reply, writeErrors);
};

/** `delete`: `limit: 1` deletes the first match, `limit: 0` all matches. */
const remove: CommandHandler = (ctx) => {
  const name = targetCollection(ctx);
  const statements = documentArray(ctx.command, 'deletes');
  const collection = ctx.view.read(ctx.db, name);
  let n = 0;
  const writeErrors = runStatements(statements, ctx.command.ordered !== false, (statement) => {
    if (!collection) return;
    const matches = compileFilter(optionalDocument(statement, 'q') ?? {});
    const limitOne = statement.limit === 1;
    for (const doc of collection.documents()) {
      if (!matches(doc)) continue;
      const id = valueKey(doc._id);
      ctx.view.beforeWrite(collection, id);
      collection.remove(id);
      n++;
      if (limitOne) break;
    }
  });
  return withWriteErrors({ n }, writeErrors);
};

function project(doc: Document | undefined, fields: Document | undefined): Document | null {
  if (!doc) return null;
  if (!fields || Object.keys(fields).length === 0) return cloneDocument(doc);
  return findDocuments([doc], { projection: fields })[0] ?? null;
}

/** `findAndModify`: atomically update/remove one document and return it (before or after). */
const findAndModify: CommandHandler = (ctx) => {
  const name = targetCollection(ctx);
  const { command } = ctx;
  const query = optionalDocument(command, 'query') ?? {};
  const sort = optionalDocument(command, 'sort');
  const fields = optionalDocument(command, 'fields');
  if (command.remove === true) {
    if (command.update !== undefined)
      throw new CommandError(ErrorCodes.FailedToParse, 'Cannot specify both an update and remove=true');
    const collection = ctx.view.read(ctx.db, name);
    const [target] = collection
      ? findDocuments(collection.documents(), { filter: query, sort, limit: 1 })
      : [];
    if (collection && target) {
      const id = valueKey(target._id);
      ctx.view.beforeWrite(collection, id);
      collection.remove(id);
    }
    return { lastErrorObject: { n: target ? 1 : 0 }, value: project(target, fields), ok: 1 };
  }
  if (command.update === undefined)
    throw new CommandError(ErrorCodes.FailedToParse, 'Either an update or remove=true must be specified');
  const collection = ctx.view.write(ctx.db, name);
  const outcome = updateMatching(ctx, collection, {
    q: query,
    u: command.update,
    multi: false,
    upsert: command.upsert === true,
    sort,
    arrayFilters: Array.isArray(command.arrayFilters) ? (command.arrayFilters as Document[]) : undefined,
  });
  const lastErrorObject: Document = {
    n: outcome.matched + (outcome.upsertedId !== undefined ? 1 : 0),
    updatedExisting: outcome.matched > 0,
  };
  if (outcome.upsertedId !== undefined) lastErrorObject.upserted = outcome.upsertedId;
  const value = command.new === true ? outcome.after : outcome.before;
  return { lastErrorObject, value: project(value, fields), ok: 1 };
};

/** Write commands, keyed by command name. */
export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
  findAndModify,
};
