/** An employee row as the API sees it; what every contender's reads are normalized to for the equality check. */
export interface EmployeeRow {
  id: string;
  name: string;
  email: string;
  department: string;
  salary: number;
  active: boolean;
  hiredAt: Date;
  /** The optional manager apps/api's entity declares (`manager: belongsTo(User)`); null in the bench's data. */
  managerId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  email: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Every column of the employee table, in berth's order: what `SELECT` lists and `INSERT` writes. */
export const EMPLOYEE_COLUMNS = [
  'id',
  'name',
  'email',
  'department',
  'salary',
  'active',
  'hiredAt',
  'managerId',
  'version',
  'createdAt',
  'updatedAt',
] as const;
export const USER_COLUMNS = [
  'id',
  'username',
  'displayName',
  'email',
  'version',
  'createdAt',
  'updatedAt',
] as const;

/** A keyset position: the last row of the previous page, in `-salary, id` order. */
export interface PageAfter {
  department: string;
  active: boolean;
  salary: number;
  id: string;
}

/** Statement mode of a raw driver: named prepared statements, or unnamed (PostgreSQL) / text (MySQL). */
export type StatementMode = 'prepared' | 'unprepared';

/**
 * The raw-driver baseline: each workload written directly on `pg` or `mysql2`, as an engineer writing SQL
 * by hand would, with the same SQL text berth sends where the workload says so.
 */
export interface RawDriver {
  readonly backend: 'postgres' | 'mysql';
  readonly mode: StatementMode;
  findById(id: string): Promise<EmployeeRow | null>;
  /** 20 rows after `after`, filtered by department and active, by salary descending then id. */
  page(after: PageAfter): Promise<EmployeeRow[]>;
  insert(row: EmployeeRow): Promise<void>;
  /**
   * Sets salary, bumps the version, on the row with this id and version; true when it matched. On
   * PostgreSQL one `UPDATE ... RETURNING` every column, the row mapped as a read maps it (berth's update
   * returns the row); on MySQL/MariaDB, which has no RETURNING, the UPDATE alone.
   */
  updateVersioned(id: string, version: number, salary: number, now: Date): Promise<boolean>;
  deleteVersioned(id: string, version: number): Promise<boolean>;
  /** The naive unit of work: read one row, then a transaction with one statement per row. */
  naiveUnitOfWork(
    changedId: string,
    salary: number,
    employee: EmployeeRow,
    users: readonly UserRow[],
    now: Date,
  ): Promise<void>;
  /** Multi-row INSERTs of `chunk` rows each, in one transaction. */
  bulkChunked(table: string, rows: readonly EmployeeRow[], chunk: number): Promise<void>;
  /** One INSERT per row, in one transaction. */
  bulkRowByRow(table: string, rows: readonly EmployeeRow[]): Promise<void>;
  /** A find by id on the view that sleeps 2 ms on the server (B6's latency-bound query). */
  slowFindById(id: string): Promise<EmployeeRow | null>;
  /** An untimed statement of the harness itself (truncate, counts); rows as the driver returns them. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}
