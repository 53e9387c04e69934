import {
  EMPLOYEE_COLUMNS,
  type EmployeeRow,
  type PageAfter,
  type RawDriver,
  type StatementMode,
  USER_COLUMNS,
  type UserRow,
} from './raw.js';

type Row = Record<string, unknown>;

/** What one statement returned, whatever the driver: its rows and how many rows it changed. */
export interface RunResult {
  rows: Row[];
  affected: number;
}

/**
 * What differs between the raw baselines of two SQL drivers: quoting, placeholders, how a statement is sent
 * in each statement mode, how a connection is held for a transaction, and the one value conversion each
 * driver needs. Everything else (the SQL's shape, the transactions, the chunking) is `SqlRaw`'s, shared.
 * `C` is the driver's connection type.
 */
export interface RawDialect<C> {
  readonly backend: 'postgres' | 'mysql';
  /** Quotes an identifier. */
  quote(name: string): string;
  /** The `n`-th placeholder (1-based). */
  placeholder(n: number): string;
  /** The statement that opens a transaction. */
  readonly begin: string;
  /** Whether `UPDATE ... RETURNING` exists (PostgreSQL), so an update can hand back the row it wrote. */
  readonly returning: boolean;
  /**
   * Runs one statement on `on` (or on the pool when undefined) in `mode`; `name` names it where the driver
   * prepares named statements (absent: never prepared by name).
   */
  run(
    on: C | undefined,
    mode: StatementMode,
    text: string,
    values: unknown[],
    name: string | undefined,
  ): Promise<RunResult>;
  /** A statement outside any statement mode (BEGIN, COMMIT, the harness's own queries). */
  exec(on: C | undefined, text: string): Promise<Row[]>;
  /** Holds one connection of the pool until `release`. */
  connect(): Promise<C>;
  release(conn: C): void;
  /** A boolean as the driver binds it. */
  bool(value: boolean): unknown;
  /** A row as the driver returns it, as the API sees it (the one conversion a raw user writes). */
  toEmployee(row: Row): EmployeeRow;
  end(): Promise<void>;
}

/** The SQL of every workload, as berth's dialect compiles it, in a dialect's quoting and placeholders. */
export function rawStatements(quote: (name: string) => string, placeholder: (n: number) => string) {
  const q = quote;
  const p = placeholder;
  const columns = EMPLOYEE_COLUMNS.map(q).join(', ');
  const userColumns = USER_COLUMNS.map(q).join(', ');
  const tuple = (width: number, from = 0) =>
    `(${Array.from({ length: width }, (_, k) => p(from + k + 1)).join(', ')})`;
  const findBy = (table: string) =>
    `SELECT ${columns} FROM ${q(table)} WHERE ${q('id')} = ${p(1)} ORDER BY ${q('id')} ASC LIMIT 1`;
  return {
    columns,
    tuple,
    findById: findBy('employees'),
    slowFindById: findBy('slow_employees'),
    page: `SELECT ${columns} FROM ${q('employees')} WHERE ${q('department')} = ${p(1)} AND ${q('active')} = ${p(2)} AND (${q('salary')} < ${p(3)} OR (${q('salary')} = ${p(4)} AND ${q('id')} > ${p(5)})) ORDER BY ${q('salary')} DESC, ${q('id')} ASC LIMIT 21`,
    insertInto: (table: string) =>
      `INSERT INTO ${q(table)} (${columns}) VALUES ${tuple(EMPLOYEE_COLUMNS.length)}`,
    insertUser: `INSERT INTO ${q('users')} (${userColumns}) VALUES ${tuple(USER_COLUMNS.length)}`,
    update: `UPDATE ${q('employees')} SET ${q('salary')} = ${p(1)}, ${q('version')} = ${p(2)}, ${q('updatedAt')} = ${p(3)} WHERE ${q('id')} = ${p(4)} AND ${q('version')} = ${p(5)}`,
    /** `update`, handing back the row written (PostgreSQL). */
    updateReturning: `UPDATE ${q('employees')} SET ${q('salary')} = ${p(1)}, ${q('version')} = ${p(2)}, ${q('updatedAt')} = ${p(3)} WHERE ${q('id')} = ${p(4)} AND ${q('version')} = ${p(5)} RETURNING ${columns}`,
    delete: `DELETE FROM ${q('employees')} WHERE ${q('id')} = ${p(1)} AND ${q('version')} = ${p(2)}`,
  };
}

/**
 * The raw-driver baseline, written once over a `RawDialect`: each workload as an engineer writing SQL by hand
 * would, with the same SQL text berth sends. `PgRaw` and `MysqlRaw` are this with their driver's dialect.
 */
export class SqlRaw<C> implements RawDriver {
  readonly backend: 'postgres' | 'mysql';
  readonly #d: RawDialect<C>;
  readonly #sql: ReturnType<typeof rawStatements>;

  constructor(
    dialect: RawDialect<C>,
    readonly mode: StatementMode,
  ) {
    this.#d = dialect;
    this.backend = dialect.backend;
    this.#sql = rawStatements(dialect.quote, dialect.placeholder);
  }

  #values(r: EmployeeRow): unknown[] {
    const b = this.#d.bool(r.active);
    return [
      r.id,
      r.name,
      r.email,
      r.department,
      r.salary,
      b,
      r.hiredAt,
      r.managerId,
      r.version,
      r.createdAt,
      r.updatedAt,
    ];
  }

  #run(on: C | undefined, name: string | undefined, text: string, values: unknown[]): Promise<RunResult> {
    return this.#d.run(on, this.mode, text, values, name);
  }

  /** Runs `work` in a transaction on one held connection, rolled back if it throws. */
  async #transaction(work: (conn: C) => Promise<void>): Promise<void> {
    const conn = await this.#d.connect();
    try {
      await this.#d.exec(conn, this.#d.begin);
      await work(conn);
      await this.#d.exec(conn, 'COMMIT');
    } catch (error) {
      await this.#d.exec(conn, 'ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      this.#d.release(conn);
    }
  }

  async findById(id: string): Promise<EmployeeRow | null> {
    const { rows } = await this.#run(undefined, 'find_by_id', this.#sql.findById, [id]);
    return rows[0] ? this.#d.toEmployee(rows[0]) : null;
  }

  async slowFindById(id: string): Promise<EmployeeRow | null> {
    const { rows } = await this.#run(undefined, 'slow_find_by_id', this.#sql.slowFindById, [id]);
    return rows[0] ? this.#d.toEmployee(rows[0]) : null;
  }

  async page(after: PageAfter): Promise<EmployeeRow[]> {
    const { rows } = await this.#run(undefined, 'page', this.#sql.page, [
      after.department,
      this.#d.bool(after.active),
      after.salary,
      after.salary,
      after.id,
    ]);
    return rows.slice(0, 20).map((r) => this.#d.toEmployee(r));
  }

  async insert(row: EmployeeRow): Promise<void> {
    await this.#run(undefined, 'insert', this.#sql.insertInto('employees'), this.#values(row));
  }

  async updateVersioned(id: string, version: number, salary: number, now: Date): Promise<boolean> {
    const values = [salary, version + 1, now, id, version];
    if (!this.#d.returning)
      return (await this.#run(undefined, 'update', this.#sql.update, values)).affected === 1;
    // berth's update returns the row it wrote: on PostgreSQL the raw side asks for it too, in the same
    // statement, and maps it as it maps a read, so both sides do the same work.
    const { rows } = await this.#run(undefined, 'update_returning', this.#sql.updateReturning, values);
    return rows[0] !== undefined && this.#d.toEmployee(rows[0]).version === version + 1;
  }

  async deleteVersioned(id: string, version: number): Promise<boolean> {
    return (await this.#run(undefined, 'delete', this.#sql.delete, [id, version])).affected === 1;
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
    await this.#transaction(async (conn) => {
      await this.#run(conn, 'insert', this.#sql.insertInto('employees'), this.#values(employee));
      for (const u of users) {
        const values = [u.id, u.username, u.displayName, u.email, u.version, u.createdAt, u.updatedAt];
        await this.#run(conn, 'insert_user', this.#sql.insertUser, values);
      }
      const values = [salary, current.version + 1, now, changedId, current.version];
      const result = await this.#run(conn, 'update', this.#sql.update, values);
      if (result.affected !== 1) throw new Error('optimistic lock');
    });
  }

  async bulkChunked(table: string, rows: readonly EmployeeRow[], chunk: number): Promise<void> {
    const width = EMPLOYEE_COLUMNS.length;
    await this.#transaction(async (conn) => {
      for (let start = 0; start < rows.length; start += chunk) {
        const slice = rows.slice(start, start + chunk);
        const values: unknown[] = [];
        const tuples: string[] = [];
        for (const r of slice) {
          tuples.push(this.#sql.tuple(width, values.length));
          values.push(...this.#values(r));
        }
        const text = `INSERT INTO ${this.#d.quote(table)} (${this.#sql.columns}) VALUES ${tuples.join(', ')}`;
        // A multi-row statement's text changes with its row count; only full chunks are worth naming.
        await this.#run(conn, slice.length === chunk ? `bulk_${chunk}` : undefined, text, values);
      }
    });
  }

  async bulkRowByRow(table: string, rows: readonly EmployeeRow[]): Promise<void> {
    const text = this.#sql.insertInto(table);
    await this.#transaction(async (conn) => {
      for (const r of rows) await this.#run(conn, `row_${table}`, text, this.#values(r));
    });
  }

  query(sql: string): Promise<Record<string, unknown>[]> {
    return this.#d.exec(undefined, sql);
  }

  close(): Promise<void> {
    return this.#d.end();
  }
}
