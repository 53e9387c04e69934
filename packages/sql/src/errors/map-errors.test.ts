import {
  belongsTo,
  ConnectionLostError,
  DatabaseError,
  type Entity,
  defineEntity,
  field,
  ForeignKeyViolationError,
  StatementTimeoutError,
  TransactionConflictError,
  UniqueViolationError,
  ValidationError,
} from '@berth/core';
import { describe, expect, it } from 'vitest';
import { fitIdentifier } from '../dialect/fit-identifier.js';
import { Employee } from '../../test/fixtures.js';
import { findUniqueIndex } from './find-unique-index.js';
import { isConnectionFailure } from './is-connection-failure.js';
import { mapMysqlError } from './map-mysql-error.js';
import { mapPostgresError } from './map-postgres-error.js';

const Team = defineEntity('teams', { id: field.id(), code: field.string().unique() });
const entities = [Employee, Team];

function pgError(code: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(`pg ${code}`), { code, ...extra });
}

describe('findUniqueIndex', () => {
  it('maps berth index names to their fields', () => {
    expect(findUniqueIndex(entities, 'employees_email_key')).toEqual({
      entity: 'employees',
      fields: ['email'],
    });
    expect(findUniqueIndex(entities, 'employees_name_salary_key')).toEqual({
      entity: 'employees',
      fields: ['name', 'salary'],
    });
    expect(findUniqueIndex(entities, 'teams_code_key', 'teams')).toEqual({
      entity: 'teams',
      fields: ['code'],
    });
  });

  it('maps primary keys', () => {
    expect(findUniqueIndex(entities, 'teams_pkey')).toEqual({ entity: 'teams', fields: ['id'] });
    expect(findUniqueIndex(entities, 'teams.PRIMARY')).toEqual({ entity: 'teams', fields: ['id'] });
    expect(findUniqueIndex([Team, Employee], 'PRIMARY')).toEqual({ entity: 'teams', fields: ['id'] });
  });

  it('understands MySQL 8’s table-qualified key names', () => {
    expect(findUniqueIndex(entities, 'employees.employees_email_key')).toEqual({
      entity: 'employees',
      fields: ['email'],
    });
  });

  it('maps shortened names back', () => {
    const long = defineEntity(`t${'x'.repeat(50)}`, {
      id: field.id(),
      [`f${'y'.repeat(20)}`]: field.string().unique(),
    });
    const index = long.indexes[0]!;
    for (const limit of [63, 64]) {
      expect(findUniqueIndex([long], fitIdentifier(index.name, limit)).fields).toEqual(index.fields);
    }
  });

  it('says what it knows about unknown names', () => {
    expect(findUniqueIndex(entities, 'something_else', 'teams')).toEqual({ entity: 'teams', fields: [] });
    expect(findUniqueIndex(entities, undefined)).toEqual({ entity: undefined, fields: [] });
  });
});

describe('mapPostgresError', () => {
  it('maps unique violations to their fields', () => {
    const cause = pgError('23505', { constraint: 'employees_email_key', table: 'employees' });
    const error = mapPostgresError(cause, entities);
    expect(error).toBeInstanceOf(UniqueViolationError);
    expect(error).toMatchObject({ entity: 'employees', fields: ['email'], cause });
  });

  it.each([
    ['40001', TransactionConflictError],
    ['40P01', TransactionConflictError],
    ['55P03', TransactionConflictError],
    ['57014', StatementTimeoutError],
    ['08006', ConnectionLostError],
    ['08003', ConnectionLostError],
    ['57P01', ConnectionLostError],
    ['57P02', ConnectionLostError],
    ['57P03', ConnectionLostError],
  ] as const)('maps SQLSTATE %s', (code, type) => {
    expect(mapPostgresError(pgError(code), entities)).toBeInstanceOf(type);
  });

  it('maps socket failures', () => {
    expect(mapPostgresError(Object.assign(new Error('read'), { code: 'ECONNRESET' }), [])).toBeInstanceOf(
      ConnectionLostError,
    );
    expect(mapPostgresError(new Error('Connection terminated unexpectedly'), [])).toBeInstanceOf(
      ConnectionLostError,
    );
  });

  it('maps anything else to DatabaseError with the code', () => {
    const error = mapPostgresError(pgError('42P01'), entities);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).driverCode).toBe('42P01');
    expect(mapPostgresError('weird', [])).toBeInstanceOf(DatabaseError);
  });

  it('passes berth errors through', () => {
    const error = new ValidationError('x');
    expect(mapPostgresError(error, [])).toBe(error);
  });
});

describe('mapMysqlError', () => {
  function myError(errno: number, code: string, sqlMessage: string, extra: Record<string, unknown> = {}) {
    return Object.assign(new Error(sqlMessage), { errno, code, sqlMessage, ...extra });
  }

  it('maps duplicate entries to their fields (MySQL 8 and MariaDB forms)', () => {
    const mysql = myError(
      1062,
      'ER_DUP_ENTRY',
      "Duplicate entry 'a@x' for key 'employees.employees_email_key'",
    );
    expect(mapMysqlError(mysql, entities)).toMatchObject({ entity: 'employees', fields: ['email'] });
    const maria = myError(1062, 'ER_DUP_ENTRY', "Duplicate entry 'X' for key 'teams_code_key'");
    expect(mapMysqlError(maria, entities)).toMatchObject({ entity: 'teams', fields: ['code'] });
    const primary = myError(1062, 'ER_DUP_ENTRY', "Duplicate entry 'id1' for key 'PRIMARY'");
    expect(mapMysqlError(primary, [Team, Employee])).toMatchObject({ entity: 'teams', fields: ['id'] });
  });

  it('maps conflicts, timeouts and lost connections', () => {
    expect(mapMysqlError(myError(1213, 'ER_LOCK_DEADLOCK', 'Deadlock'), [])).toBeInstanceOf(
      TransactionConflictError,
    );
    expect(mapMysqlError(myError(1205, 'ER_LOCK_WAIT_TIMEOUT', 'Lock wait'), [])).toBeInstanceOf(
      TransactionConflictError,
    );
    expect(mapMysqlError(myError(3024, 'ER_QUERY_TIMEOUT', 'timeout'), [])).toBeInstanceOf(
      StatementTimeoutError,
    );
    expect(mapMysqlError(myError(1969, 'ER_STATEMENT_TIMEOUT', 'timeout'), [])).toBeInstanceOf(
      StatementTimeoutError,
    );
    expect(mapMysqlError(myError(2013, 'CR_SERVER_LOST', 'Lost'), [])).toBeInstanceOf(ConnectionLostError);
    const fatal = Object.assign(new Error('Connection lost: The server closed the connection.'), {
      code: 'PROTOCOL_CONNECTION_LOST',
      fatal: true,
    });
    expect(mapMysqlError(fatal, [])).toBeInstanceOf(ConnectionLostError);
  });

  it('maps a delete cascading deeper than InnoDB allows to ForeignKeyViolationError saying so (MariaDB, MySQL)', () => {
    const Node = defineEntity('nodes', {
      id: field.id(),
      parent: belongsTo((): Entity => Node, { nullable: true, onDelete: 'cascade' }),
    });
    const maria = myError(
      1296,
      'ER_GET_ERRMSG',
      "Got error 193 '`berth_test`.`nodes`, CONSTRAINT `nodes_parentId_fkey` FOREIGN KEY (`parentId`) REFERENCES `nodes` (`id`) ON DELETE CASCADE' from InnoDB",
    );
    const error = mapMysqlError(maria, [Node]);
    expect(error).toBeInstanceOf(ForeignKeyViolationError);
    expect(error).toMatchObject({ entity: 'nodes', relation: 'parent', constraint: 'nodes_parentId_fkey' });
    expect(error.message).toBe(
      'foreign key violation on relation nodes.parent: the delete would cascade deeper than the 15 levels InnoDB allows; delete the deepest rows first',
    );
    expect(error.cause).toBe(maria);
    const mysql = myError(
      3008,
      'ER_FK_DEPTH_EXCEEDED',
      'Foreign key cascade delete/update exceeds max depth of 15.',
    );
    expect(mapMysqlError(mysql, [Node])).toMatchObject({
      constraint: undefined,
      message: expect.stringContaining('15 levels'),
    });
    // Another storage engine error under 1296 stays a DatabaseError.
    const other = mapMysqlError(myError(1296, 'ER_GET_ERRMSG', "Got error 1938 'x' from InnoDB"), [Node]);
    expect(other).toBeInstanceOf(DatabaseError);
  });

  it('maps anything else to DatabaseError with the errno', () => {
    const error = mapMysqlError(myError(1146, 'ER_NO_SUCH_TABLE', "Table 'x' doesn't exist"), []);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).driverCode).toBe(1146);
  });
});

describe('isConnectionFailure', () => {
  it('recognizes socket codes and messages only', () => {
    expect(isConnectionFailure({ code: 'EPIPE' })).toBe(true);
    expect(isConnectionFailure({ code: 'ECONNREFUSED' })).toBe(true);
    expect(isConnectionFailure(new Error("Can't add new command when connection is in closed state"))).toBe(
      true,
    );
    expect(isConnectionFailure(new Error('syntax error'))).toBe(false);
    expect(isConnectionFailure(null)).toBe(false);
  });
});
