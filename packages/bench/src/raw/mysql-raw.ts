import type mysql from 'mysql2/promise';
import { rawMysqlPool } from '../context.js';
import {
  EMPLOYEE_COLUMNS,
  type EmployeeRow,
  type PageAfter,
  type RawDriver,
  type StatementMode,
  USER_COLUMNS,
  type UserRow,
} from './raw.js';

const COLUMNS = EMPLOYEE_COLUMNS.map((c) => `\`${c}\``).join(', ');
const USER_COLS = USER_COLUMNS.map((c) => `\`${c}\``).join(', ');

// The SQL berth's MySQL dialect sends for the same operations (checked in the B1/B2 set-up).
export const MYSQL_FIND_BY_ID = `SELECT ${COLUMNS} FROM \`employees\` WHERE \`id\` = ? ORDER BY \`id\` ASC LIMIT 1`;
export const MYSQL_SLOW_FIND_BY_ID = `SELECT ${COLUMNS} FROM \`slow_employees\` WHERE \`id\` = ? ORDER BY \`id\` ASC LIMIT 1`;
export const MYSQL_PAGE = `SELECT ${COLUMNS} FROM \`employees\` WHERE \`department\` = ? AND \`active\` = ? AND (\`salary\` < ? OR (\`salary\` = ? AND \`id\` > ?)) ORDER BY \`salary\` DESC, \`id\` ASC LIMIT 21`;
const INSERT = `INSERT INTO \`employees\` (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const INSERT_USER = `INSERT INTO \`users\` (${USER_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)`;
const UPDATE =
  'UPDATE `employees` SET `salary` = ?, `version` = ?, `updatedAt` = ? WHERE `id` = ? AND `version` = ?';
const DELETE = 'DELETE FROM `employees` WHERE `id` = ? AND `version` = ?';

type Row = Record<string, unknown>;

/** mysql2 returns TINYINT(1) as a number; the one conversion a raw user writes. */
function toEmployee(row: Row): EmployeeRow {
  const r = row as unknown as EmployeeRow;
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    department: r.department,
    salary: r.salary,
    active: (row.active as number) === 1,
    hiredAt: r.hiredAt,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function employeeValues(r: EmployeeRow): unknown[] {
  return [
    r.id,
    r.name,
    r.email,
    r.department,
    r.salary,
    r.active ? 1 : 0,
    r.hiredAt,
    r.version,
    r.createdAt,
    r.updatedAt,
  ];
}

type Runner = Pick<mysql.Pool, 'query' | 'execute'> | mysql.PoolConnection;

/**
 * The raw mysql2 baseline. `unprepared` uses `query` (values escaped into the text, as berth's MySQL
 * adapter does); `prepared` uses `execute` (server-side prepared statements, cached per connection).
 */
export class MysqlRaw implements RawDriver {
  readonly backend = 'mysql';
  readonly pool: mysql.Pool;

  constructor(
    max: number,
    readonly mode: StatementMode,
  ) {
    this.pool = rawMysqlPool(max);
  }

  async #run(on: Runner, sql: string, values: unknown[]): Promise<unknown> {
    const [result] =
      this.mode === 'prepared'
        ? await on.execute(sql, values as never)
        : await on.query(sql, values as never);
    return result;
  }

  async findById(id: string): Promise<EmployeeRow | null> {
    const rows = (await this.#run(this.pool, MYSQL_FIND_BY_ID, [id])) as Row[];
    return rows[0] ? toEmployee(rows[0]) : null;
  }

  async slowFindById(id: string): Promise<EmployeeRow | null> {
    const rows = (await this.#run(this.pool, MYSQL_SLOW_FIND_BY_ID, [id])) as Row[];
    return rows[0] ? toEmployee(rows[0]) : null;
  }

  async page(after: PageAfter): Promise<EmployeeRow[]> {
    const rows = (await this.#run(this.pool, MYSQL_PAGE, [
      after.department,
      after.active ? 1 : 0,
      after.salary,
      after.salary,
      after.id,
    ])) as Row[];
    return rows.slice(0, 20).map(toEmployee);
  }

  async insert(row: EmployeeRow): Promise<void> {
    await this.#run(this.pool, INSERT, employeeValues(row));
  }

  async updateVersioned(id: string, version: number, salary: number, now: Date): Promise<boolean> {
    const result = (await this.#run(this.pool, UPDATE, [
      salary,
      version + 1,
      now,
      id,
      version,
    ])) as mysql.ResultSetHeader;
    return result.affectedRows === 1;
  }

  async deleteVersioned(id: string, version: number): Promise<boolean> {
    const result = (await this.#run(this.pool, DELETE, [id, version])) as mysql.ResultSetHeader;
    return result.affectedRows === 1;
  }

  async naiveUnitOfWork(
    changedId: string,
    salary: number,
    employee: EmployeeRow,
    users: readonly UserRow[],
    now: Date,
  ): Promise<void> {
    const current = await this.findById(changedId);
    if (!current) throw new Error(`no employee ${changedId}`);
    const conn = await this.pool.getConnection();
    try {
      await conn.query('START TRANSACTION');
      await this.#run(conn, INSERT, employeeValues(employee));
      for (const u of users) {
        await this.#run(conn, INSERT_USER, [
          u.id,
          u.username,
          u.displayName,
          u.email,
          u.version,
          u.createdAt,
          u.updatedAt,
        ]);
      }
      const result = (await this.#run(conn, UPDATE, [
        salary,
        current.version + 1,
        now,
        changedId,
        current.version,
      ])) as mysql.ResultSetHeader;
      if (result.affectedRows !== 1) throw new Error('optimistic lock');
      await conn.query('COMMIT');
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      conn.release();
    }
  }

  async bulkChunked(table: string, rows: readonly EmployeeRow[], chunk: number): Promise<void> {
    const conn = await this.pool.getConnection();
    try {
      await conn.query('START TRANSACTION');
      const tuple = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
      for (let start = 0; start < rows.length; start += chunk) {
        const slice = rows.slice(start, start + chunk);
        const values: unknown[] = [];
        for (const r of slice) values.push(...employeeValues(r));
        const sql = `INSERT INTO \`${table}\` (${COLUMNS}) VALUES ${Array(slice.length).fill(tuple).join(', ')}`;
        await this.#run(conn, sql, values);
      }
      await conn.query('COMMIT');
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      conn.release();
    }
  }

  async bulkRowByRow(table: string, rows: readonly EmployeeRow[]): Promise<void> {
    const sql = `INSERT INTO \`${table}\` (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    const conn = await this.pool.getConnection();
    try {
      await conn.query('START TRANSACTION');
      for (const r of rows) await this.#run(conn, sql, employeeValues(r));
      await conn.query('COMMIT');
    } catch (error) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      conn.release();
    }
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    const [rows] = await this.pool.query(sql);
    return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
