import type { EmployeeRow, PageAfter } from '../raw/raw.js';

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
  close(): Promise<void>;
}

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
