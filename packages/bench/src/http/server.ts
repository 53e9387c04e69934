/**
 * B7's server, run as a child process: apps/api's own `buildApp` on berth (the routes under test), plus a
 * raw-driver twin of three of its routes under `/raw`, registered on the same Fastify instance with the same
 * schemas, validator, error handler and hooks. Both contenders therefore run the very same server; only the
 * handler bodies differ. The orchestrator starts one such process per contender and loads one route set on
 * each. Prints `{"port":N}` on stdout when listening.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../../apps/api/src/app.js';
import { etagOf, parseIfMatch } from '../../../../apps/api/src/etag.js';
import { notFound } from '../../../../apps/api/src/ids.js';
import { IdParams, IfMatchHeaders, NoQuery } from '../../../../apps/api/src/schemas/common.js';
import {
  EmployeeList,
  EmployeeListQuery,
  EmployeePatch,
  Employee as EmployeeSchema,
} from '../../../../apps/api/src/schemas/employee.js';
import { employeeView } from '../../../../apps/api/src/views.js';
import { type BackendName, openBerth } from '../context.js';
import { MysqlRaw } from '../raw/mysql-raw.js';
import { PgRaw } from '../raw/pg-raw.js';
import type { EmployeeRow as BenchEmployeeRow } from '../raw/raw.js';
import type mysql from 'mysql2/promise';
import type pg from 'pg';

const backend = (process.argv[2] ?? 'postgres') as BackendName;
const poolSize = Number(process.argv[3] ?? 8);

/** The service's employee row: the bench's, plus the optional manager the service's entity declares. */
type EmployeeRow = BenchEmployeeRow & { managerId: string | null };

const COLUMNS =
  '"id", "name", "email", "department", "salary", "active", "hiredAt", "managerId", "version", "createdAt", "updatedAt"';
const MY_COLUMNS = COLUMNS.replaceAll('"', '`');

function fromPg(r: Record<string, unknown>): EmployeeRow {
  return { ...(r as unknown as EmployeeRow), salary: Number(r.salary) };
}
function fromMysql(r: Record<string, unknown>): EmployeeRow {
  return { ...(r as unknown as EmployeeRow), active: r.active === 1 };
}

/** The raw driver's data access for the three routes, written as one would by hand. */
interface RawAccess {
  get(id: string): Promise<EmployeeRow | null>;
  list(department: string | undefined, limit: number): Promise<EmployeeRow[]>;
  patchSalary(id: string, salary: number, expectedVersion: number | undefined): Promise<EmployeeRow | null>;
}

function pgAccess(pool: pg.Pool): RawAccess {
  return {
    async get(id) {
      const { rows } = await pool.query(`SELECT ${COLUMNS} FROM "employees" WHERE "id" = $1`, [id]);
      return rows[0] ? fromPg(rows[0]) : null;
    },
    async list(department, limit) {
      const { rows } =
        department === undefined
          ? await pool.query(`SELECT ${COLUMNS} FROM "employees" ORDER BY "id" LIMIT $1`, [limit + 1])
          : await pool.query(
              `SELECT ${COLUMNS} FROM "employees" WHERE "department" = $1 ORDER BY "id" LIMIT $2`,
              [department, limit + 1],
            );
      return rows.map(fromPg);
    },
    async patchSalary(id, salary, expectedVersion) {
      const { rows } = await pool.query(
        `UPDATE "employees" SET "salary" = $1, "version" = "version" + 1, "updatedAt" = $2 WHERE "id" = $3${
          expectedVersion === undefined ? '' : ' AND "version" = $4'
        } RETURNING ${COLUMNS}`,
        expectedVersion === undefined ? [salary, new Date(), id] : [salary, new Date(), id, expectedVersion],
      );
      return rows[0] ? fromPg(rows[0]) : null;
    },
  };
}

function mysqlAccess(pool: mysql.Pool): RawAccess {
  const get = async (id: string) => {
    const [rows] = await pool.query(`SELECT ${MY_COLUMNS} FROM \`employees\` WHERE \`id\` = ?`, [id]);
    const list = rows as Record<string, unknown>[];
    return list[0] ? fromMysql(list[0]) : null;
  };
  return {
    get,
    async list(department, limit) {
      const [rows] =
        department === undefined
          ? await pool.query(`SELECT ${MY_COLUMNS} FROM \`employees\` ORDER BY \`id\` LIMIT ?`, [limit + 1])
          : await pool.query(
              `SELECT ${MY_COLUMNS} FROM \`employees\` WHERE \`department\` = ? ORDER BY \`id\` LIMIT ?`,
              [department, limit + 1],
            );
      return (rows as Record<string, unknown>[]).map(fromMysql);
    },
    async patchSalary(id, salary, expectedVersion) {
      // MariaDB has no UPDATE ... RETURNING: the write, then the read.
      const [result] = await pool.query(
        `UPDATE \`employees\` SET \`salary\` = ?, \`version\` = \`version\` + 1, \`updatedAt\` = ? WHERE \`id\` = ?${
          expectedVersion === undefined ? '' : ' AND `version` = ?'
        }`,
        expectedVersion === undefined ? [salary, new Date(), id] : [salary, new Date(), id, expectedVersion],
      );
      if ((result as mysql.ResultSetHeader).affectedRows !== 1) return null;
      return get(id);
    },
  };
}

function rawRoutes(access: RawAccess) {
  return async (app: FastifyInstance) => {
    app.get(
      '/employees',
      { schema: { querystring: EmployeeListQuery, response: { 200: EmployeeList } } },
      async (request) => {
        const query = request.query as { department?: string; limit?: number };
        const limit = query.limit ?? 20;
        const rows = await access.list(query.department, limit);
        const more = rows.length > limit;
        if (more) rows.length = limit;
        const last = rows[rows.length - 1];
        return {
          items: rows.map((row) => employeeView(row)),
          nextCursor: more && last ? Buffer.from(JSON.stringify([last.id])).toString('base64url') : null,
        };
      },
    );
    app.get(
      '/employees/:id',
      { schema: { params: IdParams, querystring: NoQuery, response: { 200: EmployeeSchema } } },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const row = await access.get(id);
        if (!row) throw notFound('employee', id);
        reply.header('etag', etagOf(row.version));
        return employeeView(row);
      },
    );
    app.patch(
      '/employees/:id',
      {
        schema: {
          params: IdParams,
          querystring: NoQuery,
          headers: IfMatchHeaders,
          body: EmployeePatch,
          response: { 200: EmployeeSchema },
        },
      },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        const expectedVersion = parseIfMatch(request.headers['if-match']);
        const body = request.body as { salary?: number };
        if (body.salary === undefined) throw notFound('employee', id);
        const row = await access.patchSalary(id, body.salary, expectedVersion);
        if (!row) throw notFound('employee', id);
        reply.header('etag', etagOf(row.version));
        return employeeView(row);
      },
    );
  };
}

// As in production (`node dist/main.js`): no source-mapped stacks (see cli.ts).
process.setSourceMapsEnabled(false);

async function main(): Promise<void> {
  const db = await openBerth(backend, { max: poolSize });
  const app = await buildApp({ db });
  let close: () => Promise<void>;
  if (backend === 'postgres') {
    const raw = new PgRaw(poolSize, 'unprepared');
    await app.register(rawRoutes(pgAccess(raw.pool)), { prefix: '/raw' });
    close = () => raw.close();
  } else {
    const raw = new MysqlRaw(poolSize, 'unprepared');
    await app.register(rawRoutes(mysqlAccess(raw.pool)), { prefix: '/raw' });
    close = () => raw.close();
  }
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.stdout.write(`${JSON.stringify({ port: Number(new URL(address).port) })}\n`);
  const stop = async () => {
    await app.close().catch(() => undefined);
    await Promise.all([db.close(2_000).catch(() => undefined), close().catch(() => undefined)]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
