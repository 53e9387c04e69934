import type { Database, Page } from '@berth/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../api-error.js';
import { Employee, type EmployeeRow, MAX_SALARY } from '../entities.js';
import type { IdempotentWrites, WriteOutcome } from '../idempotency/idempotent-writes.js';
import { IdempotencyHeaders, NoQuery, withReplayedHeader, writeErrorResponses } from '../schemas/common.js';
import { DepartmentParams, RaiseBody, RaiseResult } from '../schemas/department.js';

/** Rows read per page while loading a department: bounds one query, not the whole raise. */
const PAGE_SIZE = 500;
/** How many offending employees a refused raise names. */
const MAX_NAMED = 20;

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
          'If another request changes one of the employees meanwhile, the raise is refused with 409 and changes nothing.',
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

  /** Reads the department, refuses a raise past the ceiling, and changes every salary in one flush. */
  async function raise(department: string, percent: number): Promise<WriteOutcome> {
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
