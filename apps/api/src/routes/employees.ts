import type { Database, InsertOf, PatchOf, Where } from '@berth/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { Employee } from '../entities.js';
import { toDate } from '../dates.js';
import type { IdempotentWrites } from '../idempotency/idempotent-writes.js';
import {
  IdempotencyHeaders,
  NoQuery,
  errorResponses,
  withReplayedHeader,
  writeErrorResponses,
} from '../schemas/common.js';
import {
  EmployeeBulk,
  EmployeeCreate,
  EmployeeList,
  EmployeeListQuery,
  EmployeePatch,
  Employee as EmployeeSchema,
} from '../schemas/employee.js';
import { employeeView } from '../views.js';
import { registerResourceRoutes } from './resource-routes.js';

const TAGS = ['employees'];
const DEFAULT_LIMIT = 20;

function toInsert(body: Static<typeof EmployeeCreate>, path = ''): InsertOf<typeof Employee> {
  const { hiredAt, ...rest } = body;
  return { ...rest, hiredAt: toDate(hiredAt, `${path}hiredAt`) };
}

function toPatch(body: Static<typeof EmployeePatch>): PatchOf<typeof Employee> {
  const { hiredAt, ...rest } = body;
  return hiredAt === undefined ? rest : { ...rest, hiredAt: toDate(hiredAt, 'hiredAt') };
}

function toWhere(query: Static<typeof EmployeeListQuery>): Where<typeof Employee> {
  const where: Where<typeof Employee> = {};
  if (query.department !== undefined) where.department = query.department;
  if (query.active !== undefined) where.active = query.active;
  if (query.minSalary !== undefined || query.maxSalary !== undefined) {
    where.salary = {};
    if (query.minSalary !== undefined) where.salary.gte = query.minSalary;
    if (query.maxSalary !== undefined) where.salary.lte = query.maxSalary;
  }
  return where;
}

/** `/employees`: list, create, bulk create, read, change and delete, all through berth's repository. */
export const employeeRoutes: FastifyPluginAsyncTypebox<{ db: Database; writes: IdempotentWrites }> = async (
  app,
  { db, writes },
) => {
  const employees = db.repository(Employee);

  app.get(
    '/employees',
    {
      schema: {
        tags: TAGS,
        summary: 'List employees, filtered, sorted and paged by cursor',
        querystring: EmployeeListQuery,
        response: { 200: EmployeeList, ...errorResponses(400, 503) },
      },
    },
    async (request) => {
      const { query } = request;
      const page = await employees.find({
        where: toWhere(query),
        orderBy: query.sort,
        limit: query.limit ?? DEFAULT_LIMIT,
        cursor: query.cursor,
      });
      return { items: page.items.map(employeeView), nextCursor: page.nextCursor };
    },
  );

  app.post(
    '/employees/bulk',
    {
      schema: {
        tags: TAGS,
        summary: 'Create 1 to 1000 employees at once: all of them, or none',
        querystring: NoQuery,
        headers: IdempotencyHeaders,
        body: EmployeeBulk,
        response: {
          201: withReplayedHeader(
            Type.Object({ items: Type.Array(EmployeeSchema) }, { additionalProperties: false }),
          ),
          ...writeErrorResponses(400, 409, 413, 415, 503),
        },
      },
    },
    async (request, reply) =>
      writes.handle(request, reply, async () => {
        const work = db.unitOfWork();
        // persist() validates each row at once, so an invalid item fails here before anything is written.
        const rows = request.body.map((item, i) => work.persist(Employee, toInsert(item, `${i}.`)));
        await work.flush();
        return { status: 201, payload: { items: rows.map(employeeView) } };
      }),
  );

  // After the bulk route, so `/openapi.json` keeps listing `/employees/bulk` before `/employees/{id}`.
  registerResourceRoutes(
    app,
    employees,
    {
      path: '/employees',
      entity: 'employee',
      noun: 'an employee',
      tags: TAGS,
      schemas: { item: EmployeeSchema, create: EmployeeCreate, patch: EmployeePatch },
      view: employeeView,
      toInsert,
      toPatch,
    },
    writes,
  );
};
