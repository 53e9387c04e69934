import { randomUUID } from 'node:crypto';
import type { RawDriver } from './raw.js';
import type { MysqlRaw } from './mysql-raw.js';
import type { PgRaw } from './pg-raw.js';

/** One department's figures as every B9 contender reports them: the equality check compares these. */
export interface DepartmentStats {
  department: string;
  count: number;
  sum: number;
  /**
   * Rounded to 4 decimals: MariaDB's AVG of an exact type keeps 4 (`div_precision_increment`), where berth
   * averages doubles and pg's avg(bigint) is a numeric; all agree to there.
   */
  avg: number;
}

/** What B9's bounded raise changes: `salary = round(salary * factor)` within [min, max], all rows or none. */
export interface Raise {
  department: string;
  factor: number;
  min: number;
  max: number;
}

/** Normalizes one aggregate row, whatever types its driver returns (text for int8 and numeric on pg). */
export function departmentStats(row: Record<string, unknown>): DepartmentStats {
  return {
    department: String(row.department),
    count: Number(row.count),
    sum: Number(row.sum),
    avg: Math.round(Number(row.avg) * 1e4) / 1e4,
  };
}

/** Thrown when a raise would take a row out of bounds: nothing was changed. */
export class OutOfBounds extends Error {
  constructor(readonly outside: number) {
    super(`${outside} rows would leave the bounds; nothing changed`);
  }
}

/**
 * B9's raw baseline for the set-based statements, written by hand with bound values (as a person writing SQL
 * does, never splicing a department into the text).
 *
 * The bounded raise gives the same guarantee berth's `updateMany` does, so equal work is compared: all rows
 * or none, the bounds checked on each row's latest committed version under a lock. On PostgreSQL that is one
 * statement (a data-modifying CTE over the rows locked `FOR UPDATE`); on MySQL/MariaDB a locking read that
 * counts the rows a raise would take out of bounds, then the UPDATE, in one transaction.
 */
export interface SetBasedRaw {
  stats(department: string): Promise<DepartmentStats>;
  /** Returns the rows changed; throws `OutOfBounds` when any would leave the bounds. */
  raise(raise: Raise): Promise<number>;
}

const PG_STATS =
  'SELECT department, count(*) AS count, sum(salary) AS sum, avg(salary) AS avg FROM employees ' +
  'WHERE department = $1 GROUP BY department';

const PG_RAISE =
  'WITH target AS (' +
  'SELECT round(salary * $1::numeric) BETWEEN $2 AND $3 AS inside FROM employees WHERE department = $4 ' +
  'FOR UPDATE), ' +
  'changed AS (UPDATE employees SET salary = round(salary * $1::numeric), version = version + 1, ' +
  '"updatedAt" = $5 WHERE department = $4 AND NOT EXISTS (SELECT 1 FROM target WHERE NOT inside) ' +
  'RETURNING 1) ' +
  'SELECT (SELECT count(*) FROM changed) AS modified, (SELECT count(*) FROM target WHERE NOT inside) AS outside';

function pgSetBased(raw: PgRaw): SetBasedRaw {
  return {
    async stats(department) {
      const { rows } = await raw.pool.query(PG_STATS, [department]);
      return departmentStats(rows[0]);
    },
    async raise({ department, factor, min, max }) {
      const { rows } = await raw.pool.query(PG_RAISE, [factor, min, max, department, new Date()]);
      const outside = Number(rows[0].outside);
      if (outside > 0) throw new OutOfBounds(outside);
      return Number(rows[0].modified);
    },
  };
}

const MYSQL_STATS =
  'SELECT department, count(*) AS count, sum(salary) AS sum, avg(salary) AS avg FROM employees ' +
  'WHERE department = ? GROUP BY department';
// The factor as an exact decimal, as berth sends it: a raise is fractional in general (1.05), and mysql2
// would splice the bench's stand-in factor 1 as an integer, making the raw side's arithmetic cheaper.
/**
 * The locking read of the bounded raise on MySQL/MariaDB (the raw side's, and the peers' through their raw-SQL
 * call): locks every row of the department and counts those the raise would take out of bounds.
 * It is the very form berth sends (`BETWEEN`, which evaluates the product once per row where `>=` and `<=`
 * evaluate it twice). Parameters: factor, min, max, department.
 */
export const MYSQL_LOCK =
  'SELECT COALESCE(SUM(CASE WHEN ROUND(salary * CAST(? AS DECIMAL(30,7))) BETWEEN ? AND ? THEN 0 ELSE 1 END), 0) ' +
  'AS outside FROM employees WHERE department = ? FOR UPDATE';
/**
 * The UPDATE of the bounded raise on MySQL/MariaDB, as berth sends it: the bounds checked again in its
 * `WHERE`, on each row's latest version. Under READ COMMITTED the locking read does not gap-lock, so a row
 * inserted into the department after it is updated too, and the recheck keeps that one in bounds.
 * Parameters: updatedAt, factor, department, factor, min, max.
 */
const MYSQL_RAISE =
  'UPDATE employees SET `updatedAt` = ?, salary = ROUND(salary * CAST(? AS DECIMAL(30,7))), ' +
  'version = version + 1 WHERE department = ? AND ROUND(salary * CAST(? AS DECIMAL(30,7))) BETWEEN ? AND ?';

/**
 * berth's COMMIT on MySQL/MariaDB: a marker row for this server thread with a fresh token, then COMMIT, in
 * one round trip. The row commits exactly when the transaction does, so a COMMIT whose reply is lost can
 * be resolved (`@berth/mysql`'s `commit-marker.ts`); the raw side writes the same row into the same table
 * (`berth_commit_markers`, which berth's `ensureSchema` created), so it pays what that guarantee costs.
 */
function markedCommit(): string {
  return `REPLACE INTO berth_commit_markers (connection_id, token) VALUES (CONNECTION_ID(), '${randomUUID()}'); COMMIT`;
}

function mysqlSetBased(raw: MysqlRaw): SetBasedRaw {
  return {
    async stats(department) {
      const [rows] = await raw.pool.query(MYSQL_STATS, [department]);
      return departmentStats((rows as Record<string, unknown>[])[0]!);
    },
    async raise({ department, factor, min, max }) {
      // The factor as berth binds it: an exact decimal, sent as text.
      const exact = String(factor);
      const conn = await raw.pool.getConnection();
      try {
        await conn.query('START TRANSACTION');
        const [locked] = await conn.query(MYSQL_LOCK, [exact, min, max, department]);
        const outside = Number((locked as Record<string, unknown>[])[0]!.outside);
        if (outside > 0) throw new OutOfBounds(outside);
        const [result] = await conn.query(MYSQL_RAISE, [new Date(), exact, department, exact, min, max]);
        await conn.query(markedCommit());
        return (result as { affectedRows: number }).affectedRows;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        conn.release();
      }
    },
  };
}

/** B9's hand-written set-based statements on the raw driver's pool. */
export function setBasedRaw(raw: RawDriver): SetBasedRaw {
  return raw.backend === 'postgres' ? pgSetBased(raw as PgRaw) : mysqlSetBased(raw as MysqlRaw);
}
