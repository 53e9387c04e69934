import { type QueryEvent, type QueryObserver, THROUGH_KEY } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { SqlConnection } from './sql-connection.js';
import type { SqlArrayResult, SqlResult } from './sql-result.js';

const at = new Date('2024-05-01T10:00:00.000Z');

/** One employee's columns as pg returns them, by field name (int8 as text). */
const values: Record<string, unknown> = {
  id: 'e1',
  email: 'a@x',
  name: 'A',
  nickname: null,
  salary: '12',
  rating: 1.5,
  active: true,
  hiredAt: at,
  profile: { tags: ['x'] },
  version: 3,
  createdAt: at,
  updatedAt: at,
};

/** The column names a SELECT lists, in order (the compiler quotes each). */
function selected(sql: string): string[] {
  const list = sql.slice('SELECT '.length, sql.indexOf(' FROM '));
  return list.split(', ').map((c) => c.replaceAll('"', ''));
}

/**
 * A connection that answers reads with array rows built from `values` in the order the statement selects
 * its columns, as pg's `rowMode: 'array'` does; its object path refuses, so a read can only pass by arrays.
 */
class ArrayConnection extends SqlConnection {
  readonly id = 'arrays-1';
  readonly log: string[] = [];
  constructor() {
    super(postgresDialect);
  }
  protected async execute(sql: string): Promise<SqlResult> {
    this.log.push(`object ${sql}`);
    return {
      rows: [Object.fromEntries(selected(sql).map((c) => [c, c === THROUGH_KEY ? 'p1' : values[c]]))],
      affectedRows: 0,
    };
  }
  protected override async executeArrays(sql: string): Promise<SqlArrayResult> {
    this.log.push(`array ${sql}`);
    const row = selected(sql).map((c) => (c === THROUGH_KEY ? 'p1' : values[c]));
    return { rows: [row, row], affectedRows: 0 };
  }
  protected withSchemaLock<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }
}

const where = { type: 'literal', value: true } as const;
const decoded = { ...values, salary: 12 };

describe('SqlConnection reading rows as arrays', () => {
  it('decodes full rows by column index', async () => {
    const connection = new ArrayConnection();
    const rows = await connection.find({ entity: Employee, where, orderBy: [] });
    expect(rows).toEqual([decoded, decoded]);
    expect(Object.keys(rows[0]!)).toEqual(Employee.fieldNames);
    expect(connection.log.map((s) => s.split(' ')[0])).toEqual(['array']);
  });

  it('decodes a projection in its own column order', async () => {
    const connection = new ArrayConnection();
    const select = ['salary', 'id'];
    const rows = await connection.find({ entity: Employee, where, orderBy: [], select });
    expect(rows).toEqual([
      { salary: 12, id: 'e1' },
      { salary: 12, id: 'e1' },
    ]);
    expect(Object.keys(rows[0]!)).toEqual(select);
  });

  it('reads the parent key of a many-to-many read after the fields', async () => {
    const connection = new ArrayConnection();
    const through = { entity: Employee, fromKey: 'name', toKey: 'id', keys: ['k1'], limit: 5 };
    const rows = await connection.find({ entity: Employee, where, orderBy: [], through });
    expect(rows).toEqual([
      { ...decoded, [THROUGH_KEY]: 'p1' },
      { ...decoded, [THROUGH_KEY]: 'p1' },
    ]);
    expect(Object.keys(rows[0]!)).toEqual([...Employee.fieldNames, THROUGH_KEY]);
    // A projection of one keeps object rows, where its parent key is found by name.
    const projected = await connection.find({
      entity: Employee,
      where,
      orderBy: [],
      through,
      select: ['id'],
    });
    expect(projected[0]).toMatchObject({ id: 'e1', [THROUGH_KEY]: 'p1' });
    expect(connection.log.map((s) => s.split(' ')[0])).toEqual(['array', 'object']);
  });

  it('raises a decoding failure as the object path does', async () => {
    const connection = new ArrayConnection();
    values.salary = 'not a number';
    try {
      await expect(connection.find({ entity: Employee, where, orderBy: [] })).rejects.toThrow(
        /cannot read a integer value/,
      );
    } finally {
      values.salary = '12';
    }
    expect(connection.log.map((s) => s.split(' ')[0])).toEqual(['array']);
  });

  it('refuses a find the compiler refuses, before sending anything', async () => {
    const connection = new ArrayConnection();
    await expect(connection.find({ entity: Employee, where, orderBy: [], select: ['nope'] })).rejects.toThrow(
      /unknown field "nope"/,
    );
    expect(connection.log).toEqual([]);
  });

  it('reports an array read to query observers with its row count', async () => {
    const connection = new ArrayConnection();
    const events: QueryEvent[] = [];
    const observer: QueryObserver = {
      listening: true,
      includeValues: false,
      backend: 'postgres',
      emit: (event) => events.push(event),
    };
    connection.observeQueries(observer);
    await connection.find({ entity: Employee, where, orderBy: [] });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      operation: 'SELECT',
      collection: 'employees',
      connectionId: 'arrays-1',
      rows: 2,
    });
  });
});
