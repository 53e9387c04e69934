import type mysql from 'mysql2/promise';
import { rawMysqlPool } from '../context.js';
import type { EmployeeRow, StatementMode } from './raw.js';
import { type RawDialect, rawStatements, SqlRaw } from './sql-raw.js';

const quote = (name: string) => `\`${name}\``;
const placeholder = () => '?';
const SQL = rawStatements(quote, placeholder);

// The SQL berth's MySQL dialect sends for the same operations (checked in the B1/B2 set-up).
export const MYSQL_FIND_BY_ID = SQL.findById;
export const MYSQL_SLOW_FIND_BY_ID = SQL.slowFindById;
export const MYSQL_PAGE = SQL.page;

type Row = Record<string, unknown>;

/**
 * mysql2's side of the raw baseline: `?` placeholders; `unprepared` uses `query` (values escaped into the
 * text, as berth's MySQL adapter does), `prepared` uses `execute` (server-side prepared statements, cached
 * per connection by their text); TINYINT(1) as a number.
 */
function mysqlDialect(pool: mysql.Pool): RawDialect<mysql.PoolConnection> {
  return {
    backend: 'mysql',
    quote,
    placeholder,
    begin: 'START TRANSACTION',
    returning: false,
    async run(on, mode, text, values) {
      const runner = on ?? pool;
      const [result] =
        mode === 'prepared'
          ? await runner.execute(text, values as never)
          : await runner.query(text, values as never);
      return Array.isArray(result)
        ? { rows: result as Row[], affected: 0 }
        : { rows: [], affected: (result as mysql.ResultSetHeader).affectedRows };
    },
    async exec(on, text) {
      const [rows] = await (on ?? pool).query(text);
      return Array.isArray(rows) ? (rows as Row[]) : [];
    },
    connect: () => pool.getConnection(),
    release: (conn) => conn.release(),
    bool: (value) => (value ? 1 : 0),
    // mysql2 returns TINYINT(1) as a number; the one conversion a raw user writes.
    toEmployee(row) {
      const r = row as unknown as EmployeeRow;
      return {
        id: r.id,
        name: r.name,
        email: r.email,
        department: r.department,
        salary: r.salary,
        active: (row.active as number) === 1,
        hiredAt: r.hiredAt,
        managerId: r.managerId,
        version: r.version,
        createdAt: r.createdAt,
        updatedAt: r.updatedAt,
      };
    },
    end: () => pool.end(),
  };
}

/** The raw mysql2 pool baseline, in `query` (text) or `execute` (prepared) mode. */
export class MysqlRaw extends SqlRaw<mysql.PoolConnection> {
  override readonly backend = 'mysql';
  readonly pool: mysql.Pool;

  constructor(max: number, mode: StatementMode) {
    const pool = rawMysqlPool(max);
    super(mysqlDialect(pool), mode);
    this.pool = pool;
  }
}
