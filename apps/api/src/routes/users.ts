import type { Database } from '@berth/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { User } from '../entities.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { notFound } from '../ids.js';
import { IdParams, IfMatchHeaders, NoQuery, errorResponses } from '../schemas/common.js';
import { UserCreate, UserList, UserListQuery, UserPatch, User as UserSchema } from '../schemas/user.js';
import { userView } from '../views.js';

const TAGS = ['users'];
const DEFAULT_LIMIT = 20;

/** `/users`: the same contract as employees, through berth's repository. */
export const userRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
  const users = db.repository(User);

  app.get(
    '/users',
    {
      schema: {
        tags: TAGS,
        summary: 'List users, sorted and paged by cursor',
        querystring: UserListQuery,
        response: { 200: UserList, ...errorResponses(400, 503) },
      },
    },
    async (request) => {
      const { query } = request;
      const page = await users.find({
        orderBy: query.sort,
        limit: query.limit ?? DEFAULT_LIMIT,
        cursor: query.cursor,
      });
      return { items: page.items.map(userView), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/users',
    {
      schema: {
        tags: TAGS,
        summary: 'Create a user',
        querystring: NoQuery,
        body: UserCreate,
        response: { 201: UserSchema, ...errorResponses(400, 409, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const row = await users.insert(request.body);
      reply
        .code(201)
        .header('location', `/users/${encodeURIComponent(row.id)}`)
        .header('etag', etagOf(row.version));
      return userView(row);
    },
  );

  app.get(
    '/users/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Read one user',
        params: IdParams,
        querystring: NoQuery,
        response: { 200: UserSchema, ...errorResponses(404, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const row = await users.findById(id);
      if (!row) throw notFound('user', id);
      reply.header('etag', etagOf(row.version));
      return userView(row);
    },
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Change some fields of a user',
        params: IdParams,
        querystring: NoQuery,
        headers: IfMatchHeaders,
        body: UserPatch,
        response: { 200: UserSchema, ...errorResponses(400, 404, 409, 412, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const expectedVersion = parseIfMatch(request.headers['if-match']);
      const row = await users.update(id, request.body, { expectedVersion });
      reply.header('etag', etagOf(row.version));
      return userView(row);
    },
  );

  app.delete(
    '/users/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete a user',
        params: IdParams,
        querystring: NoQuery,
        headers: IfMatchHeaders,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(400, 404, 412, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const expectedVersion = parseIfMatch(request.headers['if-match']);
      await users.delete(id, { expectedVersion });
      return reply.code(204).send();
    },
  );
};
