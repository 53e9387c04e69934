import type pg from 'pg';
import { rawPgPool } from '../context.js';
import type { EmployeeRow, StatementMode } from './raw.js';
import { type RawDialect, rawStatements, SqlRaw } from './sql-raw.js';

const quote = (name: string) => `"${name}"`;
const placeholder = (n: number) => `$${n}`;
const SQL = rawStatements(quote, placeholder);

// The SQL berth's PostgreSQL dialect sends for the same operations (checked in the B1/B2 set-up).
/** pg returns int8 as text; the one conversion a raw user writes. */
export function pgRowToEmployee(row: Record<string, unknown>): EmployeeRow {
  const r = row as unknown as EmployeeRow;
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    department: r.department,
    salary: Number(r.salary),
    active: r.active,
    hiredAt: r.hiredAt,
    managerId: r.managerId,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

export const PG_FIND_BY_ID = SQL.findById;
export const PG_SLOW_FIND_BY_ID = SQL.slowFindById;
export const PG_PAGE = SQL.page;

/** pg's side of the raw baseline: `$n` placeholders, named statements when prepared, int8 as text. */
function pgDialect(pool: pg.Pool): RawDialect<pg.PoolClient> {
  return {
    backend: 'postgres',
    quote,
    placeholder,
    begin: 'BEGIN',
    returning: true,
    async run(on, mode, text, values, name) {
      // Named: pg prepares the statement once per connection.
      const config: pg.QueryConfig = mode === 'prepared' && name ? { name, text, values } : { text, values };
      const result = await (on ?? pool).query(config);
      return { rows: result.rows, affected: result.rowCount ?? 0 };
    },
    async exec(on, text) {
      return (await (on ?? pool).query(text)).rows;
    },
    connect: () => pool.connect(),
    release: (conn) => conn.release(),
    bool: (value) => value,
    toEmployee: pgRowToEmployee,
    end: () => pool.end(),
  };
}

/** The raw `pg.Pool` baseline. `prepared` names every statement (pg prepares it once per connection). */
export class PgRaw extends SqlRaw<pg.PoolClient> {
  override readonly backend = 'postgres';
  readonly pool: pg.Pool;

  constructor(max: number, mode: StatementMode) {
    const pool = rawPgPool(max);
    // An idle client's error must not crash the bench (berth's driver does the same).
    pool.on('error', () => undefined);
    super(pgDialect(pool), mode);
    this.pool = pool;
  }
}
