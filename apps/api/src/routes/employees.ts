import type { Database, InsertOf, PatchOf, Where } from '@berth/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Static } from '@sinclair/typebox';
import { Employee } from '../entities.js';
import { etagOf, parseIfMatch } from '../etag.js';
import { notFound } from '../ids.js';
import { toDate } from '../dates.js';
import { IdParams, IfMatchHeaders, NoQuery, errorResponses } from '../schemas/common.js';
import {
  EmployeeBulk,
  EmployeeCreate,
  EmployeeList,
  EmployeeListQuery,
  EmployeePatch,
  Employee as EmployeeSchema,
} from '../schemas/employee.js';
import { employeeView } from '../views.js';

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
export const employeeRoutes: FastifyPluginAsyncTypebox<{ db: Database }> = async (app, { db }) => {
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
    '/employees',
    {
      schema: {
        tags: TAGS,
        summary: 'Create an employee',
        querystring: NoQuery,
        body: EmployeeCreate,
        response: { 201: EmployeeSchema, ...errorResponses(400, 409, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const row = await employees.insert(toInsert(request.body));
      reply
        .code(201)
        .header('location', `/employees/${encodeURIComponent(row.id)}`)
        .header('etag', etagOf(row.version));
      return employeeView(row);
    },
  );

  app.post(
    '/employees/bulk',
    {
      schema: {
        tags: TAGS,
        summary: 'Create 1 to 1000 employees at once: all of them, or none',
        querystring: NoQuery,
        body: EmployeeBulk,
        response: {
          201: { type: 'object', properties: { items: { type: 'array', items: EmployeeSchema } } },
          ...errorResponses(400, 409, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const work = db.unitOfWork();
      // persist() validates each row at once, so an invalid item fails here before anything is written.
      const rows = request.body.map((item, i) => work.persist(Employee, toInsert(item, `${i}.`)));
      await work.flush();
      reply.code(201);
      return { items: rows.map(employeeView) };
    },
  );

  app.get(
    '/employees/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Read one employee',
        params: IdParams,
        querystring: NoQuery,
        response: { 200: EmployeeSchema, ...errorResponses(404, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const row = await employees.findById(id);
      if (!row) throw notFound('employee', id);
      reply.header('etag', etagOf(row.version));
      return employeeView(row);
    },
  );

  app.patch(
    '/employees/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Change some fields of an employee',
        params: IdParams,
        querystring: NoQuery,
        headers: IfMatchHeaders,
        body: EmployeePatch,
        response: { 200: EmployeeSchema, ...errorResponses(400, 404, 409, 412, 413, 415, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const expectedVersion = parseIfMatch(request.headers['if-match']);
      const row = await employees.update(id, toPatch(request.body), { expectedVersion });
      reply.header('etag', etagOf(row.version));
      return employeeView(row);
    },
  );

  app.delete(
    '/employees/:id',
    {
      schema: {
        tags: TAGS,
        summary: 'Delete an employee',
        params: IdParams,
        querystring: NoQuery,
        headers: IfMatchHeaders,
        response: { 204: { type: 'null', description: 'Deleted' }, ...errorResponses(400, 404, 412, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const expectedVersion = parseIfMatch(request.headers['if-match']);
      await employees.delete(id, { expectedVersion });
      return reply.code(204).send();
    },
  );
};
