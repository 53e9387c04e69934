import type { Database, InsertOf, PatchOf, WriteOptions } from '@berth/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Employee, User } from '../entities.js';
import type { IdempotentWrites } from '../idempotency/idempotent-writes.js';
import { notFound } from '../ids.js';
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

  /**
   * Deleting a user first clears `managerId` on the employees it manages, each bumping its version (a
   * change every client can see by ETag), in the delete's transaction where the deployment has them.
   */
  const remove = async (id: string, options: WriteOptions) => {
    const run = async (scope: Pick<Database, 'repository'>) => {
      // An id naming no user is a 404 (whatever its shape), before it is used as a filter.
      if (!(await scope.repository(User).findById(id))) throw notFound('user', id);
      await scope.repository(Employee).updateMany({ managerId: id }, { managerId: null });
      await scope.repository(User).delete(id, options);
    };
    if (users.capabilities.transactions) await db.transaction((tx) => run(tx));
    else await run(db);
  };
  registerResourceRoutes(
    app,
    {
      insert: (data: InsertOf<typeof User>) => users.insert(data),
      findById: (id: string) => users.findById(id),
      update: (id: string, patch: PatchOf<typeof User>, options: WriteOptions) =>
        users.update(id, patch, options),
      delete: remove,
    },
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
