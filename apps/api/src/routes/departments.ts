import type { Database, Page } from '@berth/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../api-error.js';
import { Employee, type EmployeeRow, MAX_SALARY } from '../entities.js';
import type { IdempotentWrites, WriteOutcome } from '../idempotency/idempotent-writes.js';
import {
  IdempotencyHeaders,
  NoQuery,
  errorResponses,
  withReplayedHeader,
  writeErrorResponses,
} from '../schemas/common.js';
import { DepartmentParams, DepartmentStats, RaiseBody, RaiseResult } from '../schemas/department.js';

/** Rows read per page while loading a department: bounds one query, not the whole raise. */
const PAGE_SIZE = 500;
/** How many offending employees a refused raise names. */
const MAX_NAMED = 20;
/**
 * The most employees one raise changes. A raise is a unit of work (read, check the ceiling, one flush) and
 * holds a connection for as long as it takes: about 0.3 s per 1,000 employees on PostgreSQL here, 1.6 s for
 * 5,000. A set-based raise (one UPDATE) would not need the bound, but `salary = round(salary * factor)` has
 * no portable form yet (berth's `multiply` refuses fractions on integer fields rather than round them
 * differently per backend), so the size is bounded instead, and a larger department is refused whole.
 */
export const MAX_RAISE_EMPLOYEES = 1_000;

/** The salary after a raise of `percent`, as the contract words it. */
export function raisedSalary(salary: number, percent: number): number {
  return Math.round(salary * (1 + percent / 100));
}

/**
 * `POST /departments/{department}/raise`: one unit of work, one flush, all or nothing. With an
 * `Idempotency-Key` the reads, the flush and the key's record share one transaction.
 */
export const departmentRoutes: FastifyPluginAsyncTypebox<{ db: Database; writes: IdempotentWrites }> = async (
  app,
  { db, writes },
) => {
  app.post(
    '/departments/:department/raise',
    {
      schema: {
        tags: ['departments'],
        summary: 'Raise every salary of a department by a percentage, atomically',
        description:
          'A raise that would take any salary above 1,000,000,000 is refused with 409 CONFLICT and changes nothing. ' +
          'If another request changes one of the employees meanwhile, the raise is refused with 409 and changes nothing. ' +
          `A department of more than ${MAX_RAISE_EMPLOYEES} employees is refused with 409 and changes nothing.`,
        params: DepartmentParams,
        querystring: NoQuery,
        headers: IdempotencyHeaders,
        body: RaiseBody,
        response: {
          200: withReplayedHeader(RaiseResult),
          ...writeErrorResponses(400, 409, 413, 415, 503),
        },
      },
    },
    async (request, reply) =>
      writes.handle(request, reply, () => raise(request.params.department, request.body.percent)),
  );

  app.get(
    '/departments/:department/stats',
    {
      schema: {
        tags: ['departments'],
        summary: "A department's head count, total and average salary, from one aggregate query",
        params: DepartmentParams,
        querystring: NoQuery,
        response: { 200: DepartmentStats, ...errorResponses(400, 503) },
      },
    },
    async (request) => {
      const { department } = request.params;
      // One statement on every backend (GROUP BY / $group); without groupBy exactly one row comes back.
      const [row] = await db.repository(Employee).aggregate({
        where: { department },
        count: true,
        sum: ['salary'],
        avg: ['salary'],
      });
      const count = row?.count ?? 0;
      return {
        department,
        count,
        totalSalary: count === 0 ? 0 : (row?.sum.salary ?? 0),
        averageSalary: count === 0 ? null : (row?.avg.salary ?? null),
      };
    },
  );

  /** Reads the department, refuses a raise past the ceiling, and changes every salary in one flush. */
  async function raise(department: string, percent: number): Promise<WriteOutcome> {
    // Counted first, so a department past the bound is refused before anything is read into memory.
    const size = await db.repository(Employee).count({ department });
    if (size > MAX_RAISE_EMPLOYEES) {
      throw new ApiError(
        409,
        'CONFLICT',
        `a raise changes at most ${MAX_RAISE_EMPLOYEES} employees at once; this department has ${size}; nothing was changed`,
      );
    }
    const work = db.unitOfWork();
    const staff: EmployeeRow[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<EmployeeRow> = await work.find(Employee, {
        where: { department },
        limit: PAGE_SIZE,
        cursor,
      });
      staff.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor !== null);

    // Checked before any change: a refused raise leaves the unit of work, and the database, untouched.
    const over = staff.filter((e) => raisedSalary(e.salary, percent) > MAX_SALARY);
    if (over.length > 0) {
      throw new ApiError(
        409,
        'CONFLICT',
        `the raise would take ${over.length} salar${over.length === 1 ? 'y' : 'ies'} above ${MAX_SALARY}; nothing was changed`,
        over.slice(0, MAX_NAMED).map((e) => ({
          field: 'salary',
          message: `employee ${e.id} would earn ${raisedSalary(e.salary, percent)}`,
        })),
      );
    }
    for (const employee of staff) employee.salary = raisedSalary(employee.salary, percent);
    const result = await work.flush();
    return { status: 200, payload: { updated: result.updated } };
  }
};
