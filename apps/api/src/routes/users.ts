import type { Database } from '@berth/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { User } from '../entities.js';
import type { IdempotentWrites } from '../idempotency/idempotent-writes.js';
import { errorResponses } from '../schemas/common.js';
import { UserCreate, UserList, UserListQuery, UserPatch, User as UserSchema } from '../schemas/user.js';
import { userView } from '../views.js';
import { registerResourceRoutes } from './resource-routes.js';

const TAGS = ['users'];
const DEFAULT_LIMIT = 20;

/** `/users`: the same contract as employees, through berth's repository. */
export const userRoutes: FastifyPluginAsyncTypebox<{ db: Database; writes: IdempotentWrites }> = async (
  app,
  { db, writes },
) => {
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

  registerResourceRoutes(
    app,
    users,
    {
      path: '/users',
      entity: 'user',
      noun: 'a user',
      tags: TAGS,
      schemas: { item: UserSchema, create: UserCreate, patch: UserPatch },
      view: userView,
      toInsert: (body) => body,
      toPatch: (body) => body,
    },
    writes,
  );
};
