import type { WriteOptions } from '@berth/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static, TSchema } from '@sinclair/typebox';
import { etagOf, parseIfMatch } from '../etag.js';
import { notFound } from '../ids.js';
import { IdParams, IfMatchHeaders, NoQuery, errorResponses } from '../schemas/common.js';

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
): void {
  const { path, entity, noun, tags, schemas, view, toInsert, toPatch } = resource;
  // Widened on purpose: Fastify cannot resolve a reply type from a generic schema, so `view`'s signature is
  // what ties each reply to `schemas.item`, checked where the resource is declared.
  const item: TSchema = schemas.item;

  app.post(
    path,
    {
      schema: {
        tags,
        summary: `Create ${noun}`,
        querystring: NoQuery,
        body: schemas.create,
        response: { 201: item, ...errorResponses(400, 409, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const row = await store.insert(toInsert(request.body));
      reply
        .code(201)
        .header('location', `${path}/${encodeURIComponent(row.id)}`)
        .header('etag', etagOf(row.version));
      return view(row);
    },
  );

  app.get(
    `${path}/:id`,
    {
      schema: {
        tags,
        summary: `Read one ${entity}`,
        params: IdParams,
        querystring: NoQuery,
        response: { 200: item, ...errorResponses(404, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const row = await store.findById(id);
      if (!row) throw notFound(entity, id);
      reply.header('etag', etagOf(row.version));
      return view(row);
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
        headers: IfMatchHeaders,
        body: schemas.patch,
        response: { 200: item, ...errorResponses(400, 404, 409, 412, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const expectedVersion = parseIfMatch(request.headers['if-match']);
      const row = await store.update(id, toPatch(request.body), { expectedVersion });
      reply.header('etag', etagOf(row.version));
      return view(row);
    },
  );

  app.delete(
    `${path}/:id`,
    {
      schema: {
        tags,
        summary: `Delete ${noun}`,
        params: IdParams,
        querystring: NoQuery,
        headers: IfMatchHeaders,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(400, 404, 412, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const expectedVersion = parseIfMatch(request.headers['if-match']);
      await store.delete(id, { expectedVersion });
      return reply.code(204).send();
    },
  );
}
