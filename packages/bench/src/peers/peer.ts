import type { EmployeeRow, PageAfter } from '../raw/raw.js';
import type { DepartmentStats, Raise } from '../raw/set-based-raw.js';

/**
 * A peer data layer on PostgreSQL, used as its documentation recommends, on a pool of the same size as
 * berth's. Reads are normalized to `EmployeeRow` (the one mapping each user would write to hand a row to
 * the same API), so results can be checked equal before timing.
 */
export interface Peer {
  readonly name: string;
  findById(id: string): Promise<EmployeeRow | null>;
  page(after: PageAfter): Promise<EmployeeRow[]>;
  /** Inserts the rows into `bench_bulk`, all or nothing, the way the library documents bulk inserts. */
  bulkInsert(rows: readonly EmployeeRow[]): Promise<void>;
  /** B9: count, sum and average salary of one department, grouped by department, through the library's API. */
  stats(department: string): Promise<DepartmentStats>;
  /**
   * B9: the bounded raise with berth's guarantee (all rows or none, bounds checked under a lock): in a
   * transaction, `LOCK_OUTSIDE` (the library's raw-SQL facility: none of their builders can count over
   * locked rows), then the library's set-based update. Returns the rows changed.
   */
  raise(raise: Raise): Promise<number>;
  close(): Promise<void>;
}

/**
 * B9's part of a peer, what a peer on MySQL/MariaDB implements: B9 is the workload run against the peers
 * on both backends.
 */
export type SetBasedPeer = Pick<Peer, 'name' | 'stats' | 'raise' | 'close'>;

/** Rows per statement when a library needs chunking by hand (PostgreSQL allows 65 535 parameters). */
export const BULK_CHUNK = 1000;

export function pick(row: Record<string, unknown>): EmployeeRow {
  return {
    id: row.id as string,
    name: row.name as string,
    email: row.email as string,
    department: row.department as string,
    salary: Number(row.salary),
    active: row.active as boolean,
    hiredAt: row.hiredAt as Date,
    managerId: (row.managerId ?? null) as string | null,
    version: Number(row.version),
    createdAt: row.createdAt as Date,
    updatedAt: row.updatedAt as Date,
  };
}

/**
 * The locking read a peer sends before its set-based update: locks every row of the department (`FOR
 * UPDATE` in a subquery: PostgreSQL refuses it beside an aggregate) and counts those the raise would take
 * out of bounds. Parameters: factor, min, max, department.
 */
export const LOCK_OUTSIDE =
  'SELECT count(*) FILTER (WHERE NOT inside) AS outside FROM (SELECT round(salary * $1::numeric) ' +
  'BETWEEN $2 AND $3 AS inside FROM employees WHERE department = $4 FOR UPDATE) locked';
