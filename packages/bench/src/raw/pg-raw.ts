import type pg from 'pg';
import { rawPgPool } from '../context.js';
import {
  EMPLOYEE_COLUMNS,
  type EmployeeRow,
  type PageAfter,
  type RawDriver,
  type StatementMode,
  USER_COLUMNS,
  type UserRow,
} from './raw.js';

const COLUMNS = EMPLOYEE_COLUMNS.map((c) => `"${c}"`).join(', ');
const USER_COLS = USER_COLUMNS.map((c) => `"${c}"`).join(', ');

// The SQL berth's PostgreSQL dialect sends for the same operations (checked in the B1/B2 set-up).
export const PG_FIND_BY_ID = `SELECT ${COLUMNS} FROM "employees" WHERE "id" = $1 ORDER BY "id" ASC LIMIT 1`;
export const PG_SLOW_FIND_BY_ID = `SELECT ${COLUMNS} FROM "slow_employees" WHERE "id" = $1 ORDER BY "id" ASC LIMIT 1`;
export const PG_PAGE = `SELECT ${COLUMNS} FROM "employees" WHERE "department" = $1 AND "active" = $2 AND ("salary" < $3 OR ("salary" = $4 AND "id" > $5)) ORDER BY "salary" DESC, "id" ASC LIMIT 21`;
const INSERT = `INSERT INTO "employees" (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;
const INSERT_USER = `INSERT INTO "users" (${USER_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`;
const UPDATE = `UPDATE "employees" SET "salary" = $1, "version" = $2, "updatedAt" = $3 WHERE "id" = $4 AND "version" = $5`;
const DELETE = `DELETE FROM "employees" WHERE "id" = $1 AND "version" = $2`;

/** pg returns int8 as text; the one conversion a raw user writes. */
function toEmployee(row: Record<string, unknown>): EmployeeRow {
  const r = row as unknown as EmployeeRow;
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    department: r.department,
    salary: Number(r.salary),
    active: r.active,
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
    r.active,
    r.hiredAt,
    r.version,
    r.createdAt,
    r.updatedAt,
  ];
}

/** The raw `pg.Pool` baseline. `prepared` names every statement (pg prepares it once per connection). */
export class PgRaw implements RawDriver {
  readonly backend = 'postgres';
  readonly pool: pg.Pool;

  constructor(
    max: number,
    readonly mode: StatementMode,
  ) {
    this.pool = rawPgPool(max);
    // An idle client's error must not crash the bench (berth's driver does the same).
    this.pool.on('error', () => undefined);
  }

  #q(name: string, text: string, values: unknown[]): pg.QueryConfig {
    return this.mode === 'prepared' ? { name, text, values } : { text, values };
  }

  async findById(id: string): Promise<EmployeeRow | null> {
    const { rows } = await this.pool.query(this.#q('find_by_id', PG_FIND_BY_ID, [id]));
    return rows[0] ? toEmployee(rows[0]) : null;
  }

  async slowFindById(id: string): Promise<EmployeeRow | null> {
    const { rows } = await this.pool.query(this.#q('slow_find_by_id', PG_SLOW_FIND_BY_ID, [id]));
    return rows[0] ? toEmployee(rows[0]) : null;
  }

  async page(after: PageAfter): Promise<EmployeeRow[]> {
    const { rows } = await this.pool.query(
      this.#q('page', PG_PAGE, [after.department, after.active, after.salary, after.salary, after.id]),
    );
    return rows.slice(0, 20).map(toEmployee);
  }

  async insert(row: EmployeeRow): Promise<void> {
    await this.pool.query(this.#q('insert', INSERT, employeeValues(row)));
  }

  async updateVersioned(id: string, version: number, salary: number, now: Date): Promise<boolean> {
    const result = await this.pool.query(this.#q('update', UPDATE, [salary, version + 1, now, id, version]));
    return result.rowCount === 1;
  }

  async deleteVersioned(id: string, version: number): Promise<boolean> {
    const result = await this.pool.query(this.#q('delete', DELETE, [id, version]));
    return result.rowCount === 1;
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
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(this.#q('insert', INSERT, employeeValues(employee)));
      for (const u of users) {
        await client.query(
          this.#q('insert_user', INSERT_USER, [
            u.id,
            u.username,
            u.displayName,
            u.email,
            u.version,
            u.createdAt,
            u.updatedAt,
          ]),
        );
      }
      const result = await client.query(
        this.#q('update', UPDATE, [salary, current.version + 1, now, changedId, current.version]),
      );
      if (result.rowCount !== 1) throw new Error('optimistic lock');
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async bulkChunked(table: string, rows: readonly EmployeeRow[], chunk: number): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (let start = 0; start < rows.length; start += chunk) {
        const slice = rows.slice(start, start + chunk);
        const values: unknown[] = [];
        const tuples: string[] = [];
        for (const r of slice) {
          const base = values.length;
          values.push(...employeeValues(r));
          tuples.push(
            `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6}, $${base + 7}, $${base + 8}, $${base + 9}, $${base + 10})`,
          );
        }
        // A multi-row statement's text changes with its row count; only full chunks are worth naming.
        const text = `INSERT INTO "${table}" (${COLUMNS}) VALUES ${tuples.join(', ')}`;
        await client.query(
          this.mode === 'prepared' && slice.length === chunk
            ? { name: `bulk_${chunk}`, text, values }
            : { text, values },
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async bulkRowByRow(table: string, rows: readonly EmployeeRow[]): Promise<void> {
    const text = `INSERT INTO "${table}" (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const r of rows) await client.query(this.#q(`row_${table}`, text, employeeValues(r)));
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.pool.query(sql)).rows;
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
