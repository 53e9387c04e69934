import { describe, expect, it } from 'vitest';
import { describeServer, flavourOf } from './mysql-server.js';
import { BERTH_SQL_MODE, MARIADB_TRACKED_VARIABLES, sessionStatement } from './mysql-session.js';

describe('flavourOf / describeServer', () => {
  it('tells MariaDB from MySQL by VERSION()', () => {
    expect(flavourOf('10.11.19-MariaDB-0+deb12u1')).toBe('mariadb');
    expect(flavourOf('5.5.5-10.11.6-MariaDB')).toBe('mariadb');
    expect(flavourOf('8.0.36')).toBe('mysql');
    expect(flavourOf('8.4.0-commercial')).toBe('mysql');
  });

  it("picks the flavour's NO PAD binary collation unless one is given", () => {
    const columnOf = (version: string, collation?: string) =>
      describeServer(version, collation).dialect.columnType({ kind: 'string', max: 10 } as never);
    expect(columnOf('10.11.6-MariaDB')).toBe('varchar(10) COLLATE utf8mb4_nopad_bin');
    expect(columnOf('8.0.36')).toBe('varchar(10) COLLATE utf8mb4_0900_bin');
    expect(columnOf('8.0.36', 'utf8mb4_bin')).toBe('varchar(10) COLLATE utf8mb4_bin');
  });
});

describe('sessionStatement', () => {
  it('sets the character set, UTC and the strict sql_mode on both flavours, and GTID tracking on MariaDB', () => {
    const common = `SET NAMES utf8mb4, time_zone = '+00:00', sql_mode = '${BERTH_SQL_MODE}'`;
    expect(sessionStatement('mysql')).toBe(common);
    expect(sessionStatement('mariadb')).toBe(
      `${common}, session_track_system_variables = '${MARIADB_TRACKED_VARIABLES}'`,
    );
    expect(MARIADB_TRACKED_VARIABLES.split(',')).toEqual(
      expect.arrayContaining(['character_set_client', 'last_gtid']),
    );
    expect(BERTH_SQL_MODE).toContain('STRICT_ALL_TABLES');
    expect(BERTH_SQL_MODE).toContain('NO_ZERO_DATE');
    expect(BERTH_SQL_MODE).not.toContain('ANSI_QUOTES');
    expect(BERTH_SQL_MODE).not.toContain('NO_BACKSLASH_ESCAPES');
  });

  it("sets the statement timeout in each flavour's variable and unit", () => {
    expect(sessionStatement('mariadb', { statementTimeoutMs: 1_500 })).toMatch(
      /, max_statement_time = 1\.500$/,
    );
    expect(sessionStatement('mysql', { statementTimeoutMs: 1_500 })).toMatch(
      /, max_execution_time = 1500, lock_wait_timeout = 2, innodb_lock_wait_timeout = 2$/,
    );
    expect(sessionStatement('mysql', { statementTimeoutMs: 0 })).not.toMatch(/max_execution_time/);
    expect(() => sessionStatement('mysql', { statementTimeoutMs: -1 })).toThrow(RangeError);
  });

  it('appends extra session variables, quoting strings and refusing odd names', () => {
    expect(
      sessionStatement('mariadb', { sessionVariables: { wait_timeout: 1, tx_isolation: "READ-COMMITTED'" } }),
    ).toMatch(/, wait_timeout = 1, tx_isolation = 'READ-COMMITTED'''$/);
    expect(() => sessionStatement('mariadb', { sessionVariables: { 'x = 1; DROP': 1 } })).toThrow(RangeError);
    expect(() => sessionStatement('mariadb', { sessionVariables: { x: Number.NaN } })).toThrow(RangeError);
  });
});
