import type { Document } from 'bson';
import { isPlainObject, readPath, valueKey } from '../bson-values.js';
import { CommandError, ErrorCodes } from '../errors.js';
import { aggregateDocuments, findDocuments } from '../query/engine.js';
import { optionalDocument, optionalNumber, targetCollection } from './arguments.js';
import type { CommandContext, CommandHandler } from './context.js';

function liveDocuments(ctx: CommandContext, name: string): Document[] {
  return ctx.view.read(ctx.db, name)?.documents() ?? [];
}

/** `find`: filter/sort/projection/skip/limit, answered with a cursor. */
const find: CommandHandler = (ctx) => {
  const name = targetCollection(ctx);
  const { command } = ctx;
  const rawLimit = optionalNumber(command, 'limit') ?? 0;
  // A negative limit is the legacy spelling of "limit + singleBatch".
  const limit = Math.abs(rawLimit);
  const docs = findDocuments(liveDocuments(ctx, name), {
    filter: optionalDocument(command, 'filter'),
    sort: optionalDocument(command, 'sort'),
    projection: optionalDocument(command, 'projection'),
    skip: optionalNumber(command, 'skip') ?? 0,
    limit,
  });
  const batchSize = optionalNumber(command, 'batchSize');
  const cursor = ctx.server.cursors.open(`${ctx.db}.${name}`, docs, {
    batchSize,
    singleBatch: command.singleBatch === true || rawLimit < 0,
    sessionKey: ctx.sessionKey,
  });
  return { cursor, ok: 1 };
};

/** `count`: the legacy count command (used by `estimatedDocumentCount`). */
const count: CommandHandler = (ctx) => {
  const name = targetCollection(ctx);
  const docs = findDocuments(liveDocuments(ctx, name), {
    filter: optionalDocument(ctx.command, 'query'),
    skip: optionalNumber(ctx.command, 'skip') ?? 0,
    limit: Math.abs(optionalNumber(ctx.command, 'limit') ?? 0),
  });
  return { n: docs.length, ok: 1 };
};

/** `distinct`: unique values of a (dotted) field; array values contribute their elements. */
const distinct: CommandHandler = (ctx) => {
  const name = targetCollection(ctx);
  const key = ctx.command.key;
  if (typeof key !== 'string') throw new CommandError(ErrorCodes.TypeMismatch, "'key' must be a string");
  const docs = findDocuments(liveDocuments(ctx, name), { filter: optionalDocument(ctx.command, 'query') });
  const seen = new Map<string, unknown>();
  for (const doc of docs) {
    for (const value of readPath(doc, key).values) {
      for (const item of Array.isArray(value) ? value : [value]) {
        const k = valueKey(item);
        if (!seen.has(k)) seen.set(k, item);
      }
    }
  }
  return { values: [...seen.values()], ok: 1 };
};

/** `aggregate` on a collection, cursor form. `explain` and `$out`/`$merge` are not supported. */
const aggregate: CommandHandler = (ctx) => {
  const target = ctx.command.aggregate;
  if (typeof target !== 'string') {
    throw new CommandError(
      ErrorCodes.InvalidNamespace,
      'aggregate on a database ({ aggregate: 1 }) is not supported',
    );
  }
  const pipeline = ctx.command.pipeline;
  if (!Array.isArray(pipeline) || !pipeline.every(isPlainObject)) {
    throw new CommandError(ErrorCodes.TypeMismatch, "'pipeline' must be an array of objects");
  }
  const cursorOptions = optionalDocument(ctx.command, 'cursor');
  if (!cursorOptions && ctx.command.explain !== true) {
    throw new CommandError(
      ErrorCodes.FailedToParse,
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  const docs = aggregateDocuments(liveDocuments(ctx, target), pipeline as Document[], (other) =>
    liveDocuments(ctx, other),
  );
  const cursor = ctx.server.cursors.open(`${ctx.db}.${target}`, docs, {
    batchSize: cursorOptions ? optionalNumber(cursorOptions, 'batchSize') : undefined,
    sessionKey: ctx.sessionKey,
  });
  return { cursor, ok: 1 };
};

/** Read commands, keyed by command name. */
export const readCommands: Record<string, CommandHandler> = { find, count, distinct, aggregate };
