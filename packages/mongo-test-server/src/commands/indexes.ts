import type { Document } from 'bson';
import { isPlainObject, valueKey } from '../bson-values.js';
import { CommandError, ErrorCodes } from '../errors.js';
import { describeIndex, parseIndexSpec, sameIndex } from '../storage/index-spec.js';
import type { IndexSpec } from '../storage/index-spec.js';
import { targetCollection } from './arguments.js';
import type { CommandHandler } from './context.js';

/**
 * `createIndexes`: creates the collection if needed; an identical existing index is a no-op; a
 * unique index over data with duplicates fails with E11000 and nothing is created.
 */
const createIndexes: CommandHandler = (ctx) => {
  const name = targetCollection(ctx);
  const raw = ctx.command.indexes;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw new CommandError(ErrorCodes.BadValue, 'Must specify at least one index to create');
  }
  const specs = raw.map(parseIndexSpec);
  const { storage } = ctx.server;
  const existed = storage.getCollection(ctx.db, name) !== undefined;
  const collection = storage.ensureCollection(ctx.db, name).collection;
  const before = collection.indexes().length;
  const toCreate: IndexSpec[] = [];
  for (const spec of specs) {
    const sameName = collection.indexes().find((existing) => existing.name === spec.name);
    if (sameName) {
      if (sameIndex(sameName, spec)) continue;
      throw new CommandError(
        valueKey(sameName.key) === valueKey(spec.key)
          ? ErrorCodes.IndexOptionsConflict
          : ErrorCodes.IndexKeySpecsConflict,
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(describeIndex(spec))}, existing index: ${JSON.stringify(describeIndex(sameName))}`,
      );
    }
    const sameKey = collection.indexes().find((existing) => valueKey(existing.key) === valueKey(spec.key));
    if (sameKey && sameIndex(sameKey, spec)) {
      throw new CommandError(
        ErrorCodes.IndexOptionsConflict,
        `Index already exists with a different name: ${sameKey.name}`,
      );
    }
    toCreate.push(spec);
  }
  try {
    for (const spec of toCreate) collection.addIndex(spec);
  } catch (error) {
    // All-or-nothing, like a single index build: roll back what this command added.
    for (const spec of toCreate) collection.dropIndex(spec.name);
    if (!existed) storage.dropCollection(ctx.db, name);
    throw error;
  }
  const reply: Document = {
    numIndexesBefore: before,
    numIndexesAfter: collection.indexes().length,
    createdCollectionAutomatically: !existed,
    ok: 1,
  };
  if (toCreate.length === 0) reply.note = 'all indexes already exist';
  return reply;
};

/** `listIndexes`: cursor over index descriptions, `_id_` first. */
const listIndexes: CommandHandler = (ctx) => {
  const name = targetCollection(ctx);
  const collection = ctx.server.storage.getCollection(ctx.db, name);
  if (!collection)
    throw new CommandError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
  const docs = collection.indexes().map(describeIndex);
  return {
    cursor: ctx.server.cursors.open(`${ctx.db}.${name}`, docs, { batchSize: Number.MAX_SAFE_INTEGER }),
    ok: 1,
  };
};

/** `dropIndexes`: by name, by key pattern, a list of names, or `'*'` (all but `_id_`). */
const dropIndexes: CommandHandler = (ctx) => {
  const name = targetCollection(ctx);
  const collection = ctx.server.storage.getCollection(ctx.db, name);
  if (!collection) throw new CommandError(ErrorCodes.NamespaceNotFound, `ns not found ${ctx.db}.${name}`);
  const before = collection.indexes().length;
  const target = ctx.command.index;
  let names: string[];
  if (target === '*') {
    names = collection
      .indexes()
      .filter((spec) => spec.name !== '_id_')
      .map((spec) => spec.name);
  } else if (typeof target === 'string') {
    names = [target];
  } else if (Array.isArray(target) && target.every((item) => typeof item === 'string')) {
    names = target as string[];
  } else if (isPlainObject(target)) {
    const match = collection.indexes().find((spec) => valueKey(spec.key) === valueKey(target));
    if (!match)
      throw new CommandError(
        ErrorCodes.IndexNotFound,
        `can't find index with key: ${JSON.stringify(target)}`,
      );
    names = [match.name];
  } else {
    throw new CommandError(
      ErrorCodes.TypeMismatch,
      "'index' must be a string, an array of strings, or an object",
    );
  }
  for (const indexName of names) {
    if (indexName === '_id_') throw new CommandError(ErrorCodes.InvalidOptions, 'cannot drop _id index');
    if (!collection.indexes().some((spec) => spec.name === indexName)) {
      throw new CommandError(ErrorCodes.IndexNotFound, `index not found with name [${indexName}]`);
    }
  }
  for (const indexName of names) collection.dropIndex(indexName);
  return { nIndexesWas: before, ok: 1 };
};

/** Index commands, keyed by command name. */
export const indexCommands: Record<string, CommandHandler> = { createIndexes, listIndexes, dropIndexes };
