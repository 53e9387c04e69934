import type { Document } from 'bson';
import { Aggregator, Query, update as mingoUpdate } from 'mingo';
import type { Options } from 'mingo/types';
import { cloneDocument, idFirst, isPlainObject, valueKey } from '../bson-values.js';
import { CommandError, ErrorCodes } from '../errors.js';

/**
 * All query/update/aggregation semantics come from mingo; this module only adapts MongoDB command
 * arguments to mingo calls and normalises results (cloning, `_id` first).
 */
const baseOptions: Partial<Options> = {
  idKey: '_id',
  useStrictMode: true,
  // `$where`/`$function` would run client-supplied code inside the test process: refuse them.
  scriptEnabled: false,
};

/** Compiles a filter into a predicate. An absent filter matches everything. */
export function compileFilter(filter: unknown): (doc: Document) => boolean {
  if (filter === undefined || filter === null) return () => true;
  if (!isPlainObject(filter)) throw new CommandError(ErrorCodes.TypeMismatch, 'filter must be an object');
  if (Object.keys(filter).length === 0) return () => true;
  const query = new Query(filter, baseOptions);
  return (doc) => query.test(doc);
}

/** Options of a find-like read. */
export interface FindSpec {
  filter?: unknown;
  sort?: unknown;
  projection?: unknown;
  skip?: number;
  limit?: number;
}

/** Runs a find over documents and returns cloned results. */
export function findDocuments(docs: Document[], spec: FindSpec): Document[] {
  const filter = spec.filter ?? {};
  if (!isPlainObject(filter)) throw new CommandError(ErrorCodes.TypeMismatch, 'filter must be an object');
  const projection = isPlainObject(spec.projection) ? spec.projection : {};
  let cursor = new Query(filter, baseOptions).find<Document>(docs, projection);
  if (isPlainObject(spec.sort) && Object.keys(spec.sort).length > 0) cursor = cursor.sort(spec.sort as never);
  if (spec.skip && spec.skip > 0) cursor = cursor.skip(spec.skip);
  if (spec.limit && spec.limit > 0) cursor = cursor.limit(spec.limit);
  return cursor.all().map((doc) => idFirst(cloneDocument(doc)));
}

/** Runs an aggregation pipeline; `resolve` supplies other collections for `$lookup`/`$unionWith`. */
export function aggregateDocuments(
  docs: Document[],
  pipeline: Document[],
  resolve: (name: string) => Document[],
): Document[] {
  for (const stage of pipeline) {
    const name = isPlainObject(stage) ? Object.keys(stage)[0] : undefined;
    if (name === '$out' || name === '$merge') {
      throw new CommandError(ErrorCodes.BadValue, `${name} is not supported by the test server`);
    }
  }
  const aggregator = new Aggregator(pipeline, {
    ...baseOptions,
    collectionResolver: (name: string) => resolve(name).map(cloneDocument),
  });
  return (aggregator.run(docs.map(cloneDocument)) as Document[]).map(cloneDocument);
}

/** True when an update document is a replacement (no `$` operators at top level). */
export function isReplacement(update: Document): boolean {
  const keys = Object.keys(update);
  const operators = keys.filter((key) => key.startsWith('$'));
  if (operators.length > 0 && operators.length !== keys.length) {
    throw new CommandError(ErrorCodes.FailedToParse, 'Cannot mix update operators and replacement fields');
  }
  return operators.length === 0;
}

/** Arguments for {@link applyUpdate}. */
export interface UpdateArgs {
  /** The query that selected the document (enables the positional `$` operator). */
  query?: Document;
  arrayFilters?: Document[];
  /** True when the document is being inserted by an upsert (applies `$setOnInsert`). */
  inserting?: boolean;
}

const ID_CHANGED = "Performing an update on the path '_id' would modify the immutable field '_id'";

/** Applies an update (operators, replacement, or pipeline) to a copy of `original`. */
export function applyUpdate(original: Document, update: unknown, args: UpdateArgs = {}): Document {
  let doc = cloneDocument(original);
  if (Array.isArray(update)) {
    const [result] = new Aggregator(update as Document[], baseOptions).run([doc]) as Document[];
    doc = result ?? {};
  } else if (!isPlainObject(update)) {
    throw new CommandError(ErrorCodes.FailedToParse, 'Update argument must be either an object or an array');
  } else if (isReplacement(update)) {
    if (
      Object.hasOwn(update, '_id') &&
      Object.hasOwn(original, '_id') &&
      valueKey(update._id) !== valueKey(original._id)
    ) {
      throw new CommandError(ErrorCodes.ImmutableField, ID_CHANGED);
    }
    const { _id, ...fields } = cloneDocument(update);
    doc = Object.hasOwn(original, '_id')
      ? { _id: original._id, ...fields }
      : { ...(update._id !== undefined ? { _id } : {}), ...fields };
  } else {
    const { $setOnInsert, ...operators } = cloneDocument(update);
    const setId = takeIdAssignment(operators.$set, original);
    const insertId = args.inserting ? takeIdAssignment($setOnInsert, original) : undefined;
    if (
      Object.keys(operators).some(
        (op) => !isPlainObject(operators[op]) || Object.keys(operators[op]).length > 0,
      )
    ) {
      try {
        mingoUpdate(doc, operators, args.arrayFilters, args.query ?? {}, {
          cloneMode: 'deep',
          queryOptions: baseOptions,
        });
      } catch (error) {
        if (error instanceof Error && error.message.includes('immutable field')) {
          throw new CommandError(ErrorCodes.ImmutableField, ID_CHANGED);
        }
        throw error;
      }
    }
    if (args.inserting && isPlainObject($setOnInsert) && Object.keys($setOnInsert).length > 0) {
      mingoUpdate(doc, { $set: $setOnInsert }, undefined, undefined, { cloneMode: 'deep' });
    }
    // An upsert may choose the new document's _id through $set/$setOnInsert.
    const newId = setId ?? insertId;
    if (newId !== undefined && !Object.hasOwn(original, '_id')) doc._id = newId.value;
  }
  if (Object.hasOwn(original, '_id') && valueKey(doc._id) !== valueKey(original._id)) {
    throw new CommandError(ErrorCodes.ImmutableField, ID_CHANGED);
  }
  return idFirst(doc);
}

/**
 * Removes `_id` from a `$set`-like operator document. mingo refuses any write to `_id`, but mongod
 * accepts setting it to its current value (common when an adapter `$set`s a whole entity) and lets
 * an upsert pick the inserted document's `_id`.
 */
function takeIdAssignment(operator: unknown, original: Document): { value: unknown } | undefined {
  if (!isPlainObject(operator) || !Object.hasOwn(operator, '_id')) return undefined;
  const value = operator._id;
  delete operator._id;
  if (Object.hasOwn(original, '_id') && valueKey(value) !== valueKey(original._id)) {
    throw new CommandError(ErrorCodes.ImmutableField, ID_CHANGED);
  }
  return { value };
}

/** Sets a dotted path on a plain object, creating intermediate objects. */
function setPath(target: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Document;
  }
  node[parts[parts.length - 1] as string] = cloneDocument({ v: value }).v;
}

/** The document an upsert starts from: the filter's equality conditions (incl. inside `$and`). */
export function upsertSeed(filter: unknown): Document {
  const seed: Document = {};
  const walk = (node: unknown): void => {
    if (!isPlainObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const clause of value) walk(clause);
      } else if (key.startsWith('$')) {
        // Other logical operators ($or, $nor, $expr...) do not pin a value.
      } else if (isPlainObject(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
        if (Object.hasOwn(value, '$eq')) setPath(seed, key, value.$eq);
      } else {
        setPath(seed, key, value);
      }
    }
  };
  walk(filter);
  return seed;
}
