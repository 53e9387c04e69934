import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { Employee } from '../../test/fixtures.js';
import { decodeValue } from './row-codec.js';
import { arrayRowDecoder, decodeArrayRow, decodeRow, rowDecoder } from './row-decoder.js';

/** What the generic path gives: every field through `decodeValue`, in field order. */
function byLoop(dialect: typeof postgresDialect, row: Record<string, unknown>) {
  const result: Record<string, unknown> = {};
  for (const name of Employee.fieldNames)
    result[name] = decodeValue(dialect, Employee.fields[name]!, row[name]);
  return result;
}

const at = new Date('2024-05-01T10:00:00.000Z');

describe('rowDecoder', () => {
  const rows: Record<string, unknown>[] = [
    // As pg returns them: int8 as text, booleans, Dates, JSON parsed.
    {
      id: 'a',
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
    },
    // As mysql2 may: TINYINT booleans, DATETIME text, JSON text, bigint, bytes, missing columns.
    {
      id: Buffer.from('b'),
      email: 'b@x',
      name: 'B',
      salary: 12n,
      rating: '2.25',
      active: 0,
      hiredAt: '2024-05-01 10:00:00.000',
      profile: '{"tags":[]}',
      version: '4',
      createdAt: at,
      updatedAt: undefined,
    },
  ];

  for (const dialect of [postgresDialect, mysqlDialect]) {
    it(`returns exactly what decoding field by field returns (${dialect === postgresDialect ? 'PostgreSQL' : 'MySQL'})`, () => {
      const decode = rowDecoder(dialect, Employee);
      expect(rowDecoder(dialect, Employee)).toBe(decode);
      for (const row of rows) {
        const decoded = decode(row);
        const expected = byLoop(dialect, row);
        expect(decoded).toEqual(expected);
        expect(Object.keys(decoded)).toEqual(Employee.fieldNames);
      }
    });
  }

  it('reads int8 text as decodeValue does, odd texts included', () => {
    const decode = rowDecoder(postgresDialect, Employee);
    for (const salary of ['0', '-7', ' 42 ', '', '1e3', '9007199254740993', '-0']) {
      const row = { ...rows[0], salary, version: salary };
      expect(decode(row)).toEqual(byLoop(postgresDialect, row));
    }
  });

  it('raises what decodeValue raises for an undecodable value', () => {
    expect(() => rowDecoder(postgresDialect, Employee)({ ...rows[0], salary: 'not a number' })).toThrow(
      /cannot read a integer value/,
    );
  });

  describe('of rows read as arrays', () => {
    /** The row as pg's `rowMode: 'array'` gives it: the column values in field order. */
    const asArray = (row: Record<string, unknown>) => Employee.fieldNames.map((name) => row[name]);

    for (const dialect of [postgresDialect, mysqlDialect]) {
      it(`returns exactly what the object decoder returns (${dialect === postgresDialect ? 'PostgreSQL' : 'MySQL'})`, () => {
        const decode = arrayRowDecoder(dialect, Employee);
        expect(arrayRowDecoder(dialect, Employee)).toBe(decode);
        expect(decode).not.toBe(rowDecoder(dialect, Employee));
        for (const row of rows) {
          const decoded = decode(asArray(row));
          expect(decoded).toEqual(byLoop(dialect, row));
          expect(decoded).toEqual(rowDecoder(dialect, Employee)(row));
          expect(Object.keys(decoded)).toEqual(Employee.fieldNames);
          expect(decodeArrayRow(dialect, Employee, asArray(row))).toEqual(decoded);
        }
      });
    }

    it('reads int8 text as decodeValue does, odd texts included', () => {
      const decode = arrayRowDecoder(postgresDialect, Employee);
      for (const salary of ['0', '-7', ' 42 ', '', '1e3', '9007199254740993', '-0']) {
        const row = { ...rows[0], salary, version: salary };
        expect(decode(asArray(row))).toEqual(byLoop(postgresDialect, row));
      }
    });

    it('reads every column by its index, nulls and a short row included', () => {
      const decode = arrayRowDecoder(postgresDialect, Employee);
      const decoded = decode(Employee.fieldNames.map(() => null));
      expect(Object.keys(decoded)).toEqual(Employee.fieldNames);
      expect(Object.values(decoded).every((v) => v === null)).toBe(true);
      // Columns past the row's end read as undefined, which decodes as null (a missing object key does too).
      expect(decode(asArray(rows[0]!).slice(0, 3))).toEqual(
        decodeRow(postgresDialect, Employee, { id: 'a', email: 'a@x', name: 'A' }),
      );
    });

    it('decodes a projection column by column, in the projection order', () => {
      const select = ['salary', 'id', 'hiredAt'];
      const row = rows[0]!;
      const decoded = decodeArrayRow(
        postgresDialect,
        Employee,
        select.map((name) => row[name]),
        select,
      );
      expect(decoded).toEqual(decodeRow(postgresDialect, Employee, row, select));
      expect(Object.keys(decoded)).toEqual(select);
      expect(decoded).toEqual({ salary: 12, id: 'a', hiredAt: at });
    });

    it('raises what decodeValue raises for an undecodable value', () => {
      const row = asArray({ ...rows[0], salary: 'not a number' });
      expect(() => arrayRowDecoder(postgresDialect, Employee)(row)).toThrow(/cannot read a integer value/);
      expect(() =>
        decodeArrayRow(postgresDialect, Employee, ['x', 'not a number'], ['id', 'salary']),
      ).toThrow(/cannot read a integer value/);
    });
  });
});
