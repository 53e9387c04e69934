import { type Database, type InsertOf, type PatchOf, ValidationError, type Where } from '@berth/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { type Static, Type } from '@sinclair/typebox';
import { Employee, User } from '../entities.js';
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
  EmployeeExportQuery,
  EmployeeList,
  EmployeeListQuery,
  EmployeePatch,
  EmployeeReadQuery,
  Employee as EmployeeSchema,
} from '../schemas/employee.js';
import { employeeView } from '../views.js';
import { registerResourceRoutes } from './resource-routes.js';

const TAGS = ['employees'];
const DEFAULT_LIMIT = 20;
/** Rows the export reads per batch: what sits in memory at once, whatever the number of matches. */
const EXPORT_BATCH = 500;

function toInsert(body: Static<typeof EmployeeCreate>, path = ''): InsertOf<typeof Employee> {
  const { hiredAt, ...rest } = body;
  return { ...rest, hiredAt: toDate(hiredAt, `${path}hiredAt`) };
}

function toPatch(body: Static<typeof EmployeePatch>): PatchOf<typeof Employee> {
  const { hiredAt, ...rest } = body;
  return hiredAt === undefined ? rest : { ...rest, hiredAt: toDate(hiredAt, 'hiredAt') };
}

function toWhere(query: Static<typeof EmployeeExportQuery>): Where<typeof Employee> {
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

/**
 * Refuses (400) a `managerId` naming no user, in one read for every id given, before anything is written.
 * On SQL backends the foreign key also refuses one whose user is deleted meanwhile (a 400 as well, see
 * errors.ts); MongoDB enforces no reference, so there such a race leaves a `managerId` that loads as null.
 */
async function checkManagers(
  db: Database,
  managerIds: readonly (string | null | undefined)[],
): Promise<void> {
  const ids = [...new Set(managerIds.filter((id): id is string => typeof id === 'string'))];
  if (ids.length === 0) return;
  const found = await db
    .repository(User)
    .find({ where: { id: { in: ids } }, select: { id: true }, limit: ids.length });
  const known = new Set(found.items.map((u) => u.id));
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length > 0)
    throw new ValidationError(
      'managerId names no user',
      missing.map((id) => ({ field: 'managerId', message: `no user has id ${JSON.stringify(id)}` })),
    );
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
      const read = {
        where: toWhere(query),
        orderBy: query.sort,
        limit: query.limit ?? DEFAULT_LIMIT,
        cursor: query.cursor,
      };
      if (query.include === 'manager') {
        const page = await employees.find({ ...read, include: { manager: true } });
        return {
          items: page.items.map((row) => employeeView(row, row.manager)),
          nextCursor: page.nextCursor,
        };
      }
      const page = await employees.find(read);
      return { items: page.items.map((row) => employeeView(row)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/employees/export',
    {
      schema: {
        tags: TAGS,
        summary: 'Every employee matching the list filters, as NDJSON, streamed with constant memory',
        description:
          'One JSON employee per line (`application/x-ndjson`), in the order of `sort` (ties broken by id). The ' +
          `rows are read in keyset batches of ${EXPORT_BATCH}, each on a connection taken and given back, so ` +
          'memory stays constant and a slow client never holds a pooled connection. A database failure after ' +
          'the first line cannot change the status any more: the response then ends early, without its last ' +
          'newline-terminated line, and the client must treat a body that does not end with a newline as cut.',
        querystring: EmployeeExportQuery,
        response: {
          200: {
            description: 'Newline-delimited JSON: one employee (as in `GET /employees/{id}`) per line.',
            content: { 'application/x-ndjson': { schema: EmployeeSchema } },
          },
          ...errorResponses(400, 503),
        },
      },
    },
    async (request, reply) => {
      const { query } = request;
      // Validated now, before the status line: a bad filter is still a 400.
      const rows = employees.stream({ where: toWhere(query), orderBy: query.sort, batchSize: EXPORT_BATCH });
      const iterator = rows[Symbol.asyncIterator]();
      // The first batch is read before answering, so a database that cannot serve it is still a 503.
      const first = await iterator.next();
      async function* lines(): AsyncGenerator<string> {
        try {
          if (first.done) return;
          yield `${JSON.stringify(employeeView(first.value))}\n`;
          for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
            yield `${JSON.stringify(employeeView(next.value))}\n`;
          }
        } finally {
          // A client that went away ends the stream early: stop reading batches.
          await iterator.return?.();
        }
      }
      const body = Readable.from(lines(), { objectMode: false });
      // The schema describes one line; the type provider would have the whole body be one employee.
      return reply.type('application/x-ndjson').send(body as never);
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
        await checkManagers(
          db,
          rows.map((row) => row.managerId),
        );
        await work.flush();
        return { status: 201, payload: { items: rows.map((row) => employeeView(row)) } };
      }),
  );

  // After the bulk route, so `/openapi.json` keeps listing `/employees/bulk` before `/employees/{id}`.
  const store = {
    insert: async (data: InsertOf<typeof Employee>) => {
      await checkManagers(db, [data.managerId]);
      return employees.insert(data);
    },
    findById: (id: string) => employees.findById(id),
    update: async (id: string, patch: PatchOf<typeof Employee>, options: { expectedVersion?: number }) => {
      await checkManagers(db, [patch.managerId]);
      return employees.update(id, patch, options);
    },
    delete: (id: string, options: { expectedVersion?: number }) => employees.delete(id, options),
  };
  registerResourceRoutes(
    app,
    store,
    {
      path: '/employees',
      entity: 'employee',
      noun: 'an employee',
      tags: TAGS,
      schemas: { item: EmployeeSchema, create: EmployeeCreate, patch: EmployeePatch },
      view: (row) => employeeView(row),
      toInsert,
      toPatch,
      read: {
        query: EmployeeReadQuery,
        find: async (id: string, query: Static<typeof EmployeeReadQuery>) => {
          if (query.include !== 'manager') {
            const row = await employees.findById(id);
            return row && { version: row.version, payload: employeeView(row) };
          }
          const row = await employees.findById(id, { include: { manager: true } });
          return row && { version: row.version, payload: employeeView(row, row.manager) };
        },
      },
    },
    writes,
  );
};
