import type { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import { compileFilter } from '../query/engine.js';
import { optionalDocument, targetCollection } from './arguments.js';
import type { CommandHandler } from './context.js';
import { describeIndex } from '../storage/index-spec.js';
import { checkValidationOptions } from './document-validation.js';

// Fields every command may carry; whatever else `create` receives is a collection option.
const GENERIC_FIELDS = new Set([
  'create',
  '$db',
  'lsid',
  '$clusterTime',
  '$readPreference',
  'writeConcern',
  'readConcern',
  'txnNumber',
  'autocommit',
  'startTransaction',
  'comment',
  'maxTimeMS',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
]);

/** `create`: explicit collection creation (NamespaceExists if present). Options are stored verbatim. */
const create: CommandHandler = (ctx) => {
  const name = targetCollection(ctx);
  const options = Object.fromEntries(Object.entries(ctx.command).filter(([key]) => !GENERIC_FIELDS.has(key)));
  checkValidationOptions(options);
  ctx.server.storage.createCollection(ctx.db, name, options);
  return { ok: 1 };
};

/** What `collMod` may change here: the validator and its level and action (index changes are refused). */
const COLL_MOD_OPTIONS = new Set(['validator', 'validationLevel', 'validationAction']);

/**
 * `collMod` with `validator`, `validationLevel` and `validationAction`: replaces those options of an
 * existing collection (NamespaceNotFound otherwise). Existing documents are not re-checked, as in mongod.
 */
const collMod: CommandHandler = (ctx) => {
  const name = ctx.command.collMod;
  if (typeof name !== 'string')
    throw new CommandError(ErrorCodes.InvalidNamespace, 'collMod needs a collection name');
  const collection = ctx.server.storage.getCollection(ctx.db, name);
  if (!collection)
    throw new CommandError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${ctx.db}.${name}`);
  const changes = Object.fromEntries(
    Object.entries(ctx.command).filter(([key]) => key !== 'collMod' && !GENERIC_FIELDS.has(key)),
  );
  for (const key of Object.keys(changes))
    if (!COLL_MOD_OPTIONS.has(key))
      throw new CommandError(
        ErrorCodes.InvalidOptions,
        `collMod option '${key}' is not supported by the berth test server`,
      );
  checkValidationOptions(changes);
  collection.setOptions({ ...collection.options, ...changes });
  return { ok: 1 };
};

/** `drop`: succeeds whether or not the collection exists (MongoDB 7 behaviour). */
const drop: CommandHandler = (ctx) => {
  const name = targetCollection(ctx);
  const collection = ctx.server.storage.getCollection(ctx.db, name);
  ctx.server.storage.dropCollection(ctx.db, name);
  return collection
    ? { nIndexesWas: collection.indexes().length, ns: `${ctx.db}.${name}`, ok: 1 }
    : { ok: 1 };
};

/** `dropDatabase`. */
const dropDatabase: CommandHandler = (ctx) => {
  ctx.server.storage.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

/** `listCollections`: cursor form, with `filter` (on the full entry) and `nameOnly`. */
const listCollections: CommandHandler = (ctx) => {
  const matches = compileFilter(optionalDocument(ctx.command, 'filter') ?? {});
  const nameOnly = ctx.command.nameOnly === true;
  const entries: Document[] = ctx.server.storage
    .collections(ctx.db)
    .map((collection) => ({
      name: collection.name,
      type: 'collection',
      options: collection.options,
      info: { readOnly: false, uuid: collection.uuid },
      idIndex: describeIndex(
        collection.indexes()[0] ?? {
          name: '_id_',
          key: { _id: 1 },
          unique: true,
          sparse: false,
          options: {},
        },
      ),
    }))
    .filter(matches)
    .map((entry) => (nameOnly ? { name: entry.name, type: entry.type } : entry));
  const batchSize = optionalDocument(ctx.command, 'cursor')?.batchSize;
  return {
    cursor: ctx.server.cursors.open(`${ctx.db}.$cmd.listCollections`, entries, {
      batchSize: typeof batchSize === 'number' ? batchSize : Number.MAX_SAFE_INTEGER,
    }),
    ok: 1,
  };
};

/** `listDatabases`: every database with at least one collection; sizes are approximate. */
const listDatabases: CommandHandler = (ctx) => {
  const matches = compileFilter(optionalDocument(ctx.command, 'filter') ?? {});
  const databases = ctx.server.storage
    .databaseNames()
    .map((name) => {
      const docs = ctx.server.storage.collections(name).reduce((sum, c) => sum + c.size, 0);
      return { name, sizeOnDisk: 4096 * (1 + docs), empty: docs === 0 };
    })
    .filter(matches);
  const totalSize = databases.reduce((sum, db) => sum + db.sizeOnDisk, 0);
  if (ctx.command.nameOnly === true) return { databases: databases.map(({ name }) => ({ name })), ok: 1 };
  return { databases, totalSize, totalSizeMb: Math.round(totalSize / 1024 / 1024), ok: 1 };
};

function splitNamespace(value: unknown, field: string): { db: string; name: string } {
  const dot = typeof value === 'string' ? value.indexOf('.') : -1;
  if (typeof value !== 'string' || dot <= 0 || dot === value.length - 1) {
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid ${field} namespace: ${String(value)}`);
  }
  return { db: value.slice(0, dot), name: value.slice(dot + 1) };
}

/** `renameCollection` (an admin command taking full namespaces). */
const renameCollection: CommandHandler = (ctx) => {
  const from = splitNamespace(ctx.command.renameCollection, 'source');
  const to = splitNamespace(ctx.command.to, 'target');
  ctx.server.storage.renameCollection(from, to, ctx.command.dropTarget === true);
  return { ok: 1 };
};

/** Catalog commands (databases and collections), keyed by command name. */
export const catalogCommands: Record<string, CommandHandler> = {
  collMod,
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  renameCollection,
};
