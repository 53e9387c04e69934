import {
  type Database,
  MAX_ROUNDING_SCALE,
  OutOfBoundsError,
  decimalOperand,
  multiplyRounded,
} from '@berth/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError } from '../api-error.js';
import { Employee, MAX_SALARY } from '../entities.js';
import type { IdempotentWrites, WriteOutcome } from '../idempotency/idempotent-writes.js';
import {
  IdempotencyHeaders,
  NoQuery,
  errorResponses,
  withReplayedHeader,
  writeErrorResponses,
} from '../schemas/common.js';
import { DepartmentParams, DepartmentStats, RaiseBody, RaiseResult } from '../schemas/department.js';

/** The most decimal places of `percent`: its factor `1 + percent/100` then has at most 7 (berth's limit). */
export const MAX_PERCENT_PLACES = MAX_ROUNDING_SCALE - 2;

/** The salary after a raise of `percent`, as the contract words it (`round` halves up; salaries are >= 0). */
export function raisedSalary(salary: number, percent: number): number {
  const factor = raiseFactor(percent);
  if (factor === undefined) throw new RangeError(`percent ${percent} has too many decimal places`);
  return multiplyRounded(salary, decimalOperand(factor)!);
}

/**
 * `1 + percent/100` as the number that prints as the exact decimal (so `percent: 12.3` gives 1.123, never
 * a neighbouring double), or `undefined` when it would need more than 7 decimal places.
 */
export function raiseFactor(percent: number): number | undefined {
  const p = decimalOperand(percent);
  if (p === undefined || p.negative || p.scale > MAX_PERCENT_PLACES) return undefined;
  const scale = p.scale + 2;
  // percent/100 in units of 10^-scale, plus 1.
  const digits = 10n ** BigInt(scale) + BigInt(p.units) * 10n ** BigInt(p.scale) + BigInt(p.fraction);
  const text = digits.toString();
  const factor = Number(`${text.slice(0, -scale)}.${text.slice(-scale)}`);
  return decimalOperand(factor) === undefined ? undefined : factor;
}

/**
 * The smallest salary a raise of `percent` changes: `round(s * (1 + p/100)) != s` exactly when
 * `s * p/100 >= 1/2` (halves round up), so `s >= 100 / (2p)`, computed exactly. Smaller salaries are not
 * rewritten and keep their version, as the contract's "+1 on every change" asks.
 */
function smallestChanged(percent: number): number {
  const p = decimalOperand(percent)!;
  // p = P / 10^scale; s * P / (100 * 10^scale) >= 1/2  <=>  s >= 50 * 10^scale / P.
  const P = BigInt(p.units) * 10n ** BigInt(p.scale) + BigInt(p.fraction);
  const numerator = 50n * 10n ** BigInt(p.scale);
  const bound = (numerator + P - 1n) / P;
  return bound > BigInt(MAX_SALARY) ? MAX_SALARY + 1 : Number(bound);
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
          'The raise is one set-based statement (salary = round(salary * (1 + percent/100)), halves up, computed ' +
          'exactly), so a department of any size is raised at once. ' +
          `A percent with more than ${MAX_PERCENT_PLACES} decimal places is refused with 400.`,
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

  /**
   * One `updateMany` with the rounding `multiply`: every employee of the department whose salary changes
   * is written, with its version bumped, in one statement (PostgreSQL, PGlite) or one transaction of a
   * locking read and an update (MySQL/MariaDB, MongoDB). A salary past the ceiling refuses the whole raise
   * (`OutOfBoundsError`: the database checks the bound on every row in the same unit of work).
   */
  async function raise(department: string, percent: number): Promise<WriteOutcome> {
    const factor = raiseFactor(percent);
    if (factor === undefined) {
      throw new ApiError(400, 'VALIDATION', `percent takes at most ${MAX_PERCENT_PLACES} decimal places`, [
        { field: 'percent', message: `percent takes at most ${MAX_PERCENT_PLACES} decimal places` },
      ]);
    }
    const from = smallestChanged(percent);
    if (from > MAX_SALARY) return { status: 200, payload: { updated: 0 } };
    try {
      const updated = await db
        .repository(Employee)
        .updateMany(
          { department, salary: { gte: from } },
          { salary: { multiply: factor, round: 'half-away-from-zero' } },
        );
      return { status: 200, payload: { updated } };
    } catch (error) {
      if (!(error instanceof OutOfBoundsError)) throw error;
      const rows = error.rows ?? 1;
      throw new ApiError(
        409,
        'CONFLICT',
        `the raise would take ${rows} salar${rows === 1 ? 'y' : 'ies'} above ${MAX_SALARY}; nothing was changed`,
        [
          {
            field: 'salary',
            message: `${rows} employee${rows === 1 ? '' : 's'} would earn more than ${MAX_SALARY}`,
          },
        ],
      );
    }
  }
};
