import { OptimisticLockError, type WriteOptions } from '@berth/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { MAX_VERSION, etagOf, parseIfMatch } from '../etag.js';
import type { IdempotentWrites } from '../idempotency/idempotent-writes.js';
import { notFound } from '../ids.js';
import {
  ConditionalWriteHeaders,
  IdParams,
  IdempotencyHeaders,
  NoQuery,
  errorResponses,
  withReplayedHeader,
  writeErrorResponses,
} from '../schemas/common.js';

/** The Fastify instance a TypeBox plugin receives. */
type TypeBoxApp = Parameters<FastifyPluginAsyncTypebox>[0];

/**
 * What the routes need of a repository; berth's `Repository<E>` is one. Typed on this minimal shape rather
 * than `Repository<E>`, since for a generic `E` TypeScript cannot see that `RowOf<E>` has `id` and `version`.
 */
export interface ResourceStore<Row extends { id: string; version: number }, Insert, Patch> {
  insert: (data: Insert) => Promise<Row>;
  findById: (id: string) => Promise<Row | null>;
  update: (id: string, patch: Patch, options: WriteOptions) => Promise<Row>;
  delete: (id: string, options: WriteOptions) => Promise<void>;
}

export interface ResourceRoutes<
  Row,
  Insert,
  Patch,
  Item extends TSchema,
  CreateBody extends TSchema,
  PatchBody extends TSchema,
> {
  /** The collection's path, e.g. `/employees`; one row lives at `${path}/:id`. */
  path: string;
  /** The entity's name in a 404 and in "Read one …", e.g. `employee`. */
  entity: string;
  /** The entity with its article, for the other summaries, e.g. `an employee`. */
  noun: string;
  tags: string[];
  schemas: { item: Item; create: CreateBody; patch: PatchBody };
  /** The JSON a client sees for a stored row; it must match `schemas.item`. */
  view: (row: Row) => Static<Item>;
  toInsert: (body: Static<CreateBody>) => Insert;
  toPatch: (body: Static<PatchBody>) => Patch;
  /**
   * `GET path/:id` with query parameters (default: none): `find` reads the row as `query` asks and gives its
   * version (the `ETag`) and the JSON to answer, or null for a 404.
   */
  read?: {
    query: TSchema;
    // biome-ignore lint/suspicious/noExplicitAny: the query is what `query` validated; typed where declared
    find: (id: string, query: any) => Promise<{ version: number; payload: unknown } | null>;
  };
}

/**
 * Registers `POST path` (201 with `Location` and `ETag`) and `GET`, `PATCH`, `DELETE` of `path/:id`, where
 * `ETag` is the row's version and `If-Match` on a change makes it conditional (412 when stale).
 */
export function registerResourceRoutes<
  Row extends { id: string; version: number },
  Insert,
  Patch,
  Item extends TSchema,
  CreateBody extends TSchema,
  PatchBody extends TSchema,
>(
  app: TypeBoxApp,
  store: ResourceStore<Row, Insert, Patch>,
  resource: ResourceRoutes<Row, Insert, Patch, Item, CreateBody, PatchBody>,
  writes: IdempotentWrites,
): void {
  const { path, entity, noun, tags, schemas, view, toInsert, toPatch } = resource;
  const read = resource.read ?? {
    query: NoQuery,
    find: async (id: string) => {
      const row = await store.findById(id);
      return row && { version: row.version, payload: view(row) };
    },
  };
  // Widened on purpose: Fastify cannot resolve a reply type from a generic schema, so `view`'s signature is
  // what ties each reply to `schemas.item`, checked where the resource is declared.
  const item: TSchema = schemas.item;

  /**
   * The version `If-Match` names. One beyond `MAX_VERSION` can never match a stored version (and PostgreSQL
   * would refuse it as a parameter of its integer column): answered as a failed precondition, or a 404 when
   * the row does not exist, without sending it to the database.
   */
  async function expectedVersionOf(id: string, header: string | string[] | undefined) {
    const expectedVersion = parseIfMatch(header);
    if (expectedVersion === undefined || expectedVersion <= MAX_VERSION) return expectedVersion;
    const row = await store.findById(id);
    if (!row) throw notFound(entity, id);
    throw new OptimisticLockError(entity, id, expectedVersion, row.version);
  }

  app.post(
    path,
    {
      schema: {
        tags,
        summary: `Create ${noun}`,
        querystring: NoQuery,
        headers: IdempotencyHeaders,
        body: schemas.create,
        response: {
          201: withReplayedHeader(item, { location: { type: 'string' }, etag: { type: 'string' } }),
          ...writeErrorResponses(400, 409, 413, 415, 503),
        },
      },
    },
    async (request, reply) =>
      writes.handle(request, reply, async () => {
        const row = await store.insert(toInsert(request.body));
        return {
          status: 201,
          headers: { location: `${path}/${encodeURIComponent(row.id)}`, etag: etagOf(row.version) },
          payload: view(row),
        };
      }),
  );

  app.get(
    `${path}/:id`,
    {
      schema: {
        tags,
        summary: `Read one ${entity}`,
        params: IdParams,
        querystring: read.query,
        response: {
          200: item,
          ...(resource.read ? errorResponses(400, 404, 503) : errorResponses(404, 503)),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const found = await read.find(id, request.query);
      if (!found) throw notFound(entity, id);
      reply.header('etag', etagOf(found.version));
      return found.payload;
    },
  );

  app.patch(
    `${path}/:id`,
    {
      schema: {
        tags,
        summary: `Change some fields of ${noun}`,
        params: IdParams,
        querystring: NoQuery,
        headers: ConditionalWriteHeaders,
        body: schemas.patch,
        response: {
          200: withReplayedHeader(item, { etag: { type: 'string' } }),
          ...writeErrorResponses(400, 404, 409, 412, 413, 415, 503),
        },
      },
    },
    async (request, reply) =>
      writes.handle(request, reply, async () => {
        const { id } = request.params;
        const expectedVersion = await expectedVersionOf(id, request.headers['if-match']);
        const row = await store.update(id, toPatch(request.body), { expectedVersion });
        return { status: 200, headers: { etag: etagOf(row.version) }, payload: view(row) };
      }),
  );

  app.delete(
    `${path}/:id`,
    {
      schema: {
        tags,
        summary: `Delete ${noun}`,
        params: IdParams,
        querystring: NoQuery,
        headers: ConditionalWriteHeaders,
        response: {
          204: withReplayedHeader(Type.Null({ description: 'Deleted' })),
          ...writeErrorResponses(400, 404, 412, 503),
        },
      },
    },
    async (request, reply) =>
      writes.handle(request, reply, async () => {
        const { id } = request.params;
        const expectedVersion = await expectedVersionOf(id, request.headers['if-match']);
        await store.delete(id, { expectedVersion });
        return { status: 204 };
      }),
  );
}
