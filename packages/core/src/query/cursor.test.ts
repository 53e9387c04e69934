import { describe, expect, it } from 'vitest';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { ValidationError } from '../errors/validation-error.js';
import type { Condition } from './condition.js';
import { cursorCondition, encodeCursor } from './cursor.js';
import { parseOrderBy } from './order-by.js';

const E = defineEntity('employees', {
  id: field.id(),
  name: field.string(),
  salary: field.integer(),
  score: field.number(),
  active: field.boolean(),
  hiredAt: field.datetime(),
  version: field.version(),
  createdAt: field.createdAt(),
});

const ID = '0190a6c4-5e8b-7cde-8f12-3456789abcde';
const HIRED = new Date('2023-04-05T06:07:08.009Z');
const ROW = {
  id: ID,
  name: 'Ann',
  salary: 100,
  score: 2.5,
  active: true,
  hiredAt: HIRED,
  version: 3,
  createdAt: new Date('2020-01-01T00:00:00.000Z'),
};

const cmp = (field: string, op: string, value: unknown): Condition =>
  ({ type: 'compare', field, op, value }) as Condition;
const payloadOf = (cursor: string) => JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
const encodePayload = (payload: unknown) =>
  Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');

function invalid(orderBy: ReturnType<typeof parseOrderBy>, cursor: unknown): void {
  try {
    cursorCondition(E, orderBy, cursor as string);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe('invalid cursor');
    expect((error as ValidationError).issues).toEqual([{ field: 'cursor', message: 'invalid cursor' }]);
    return;
  }
  throw new Error(`expected cursor ${String(cursor).slice(0, 40)} to be refused`);
}

describe('encodeCursor / cursorCondition', () => {
  it('makes a base64url cursor carrying the sort signature and the sort values', () => {
    const orderBy = parseOrderBy(E, ['-salary', 'name']);
    const cursor = encodeCursor(orderBy, ROW);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(payloadOf(cursor)).toEqual({ s: '-salary,name,id', v: [100, 'Ann', ID] });
  });

  it('resumes strictly after the row on id alone', () => {
    const orderBy = parseOrderBy(E, undefined);
    expect(cursorCondition(E, orderBy, encodeCursor(orderBy, ROW))).toEqual(cmp('id', 'gt', ID));
    const desc = parseOrderBy(E, '-id');
    expect(cursorCondition(E, desc, encodeCursor(desc, ROW))).toEqual(cmp('id', 'lt', ID));
  });

  it('builds the keyset condition (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ..., with < for descending keys', () => {
    const orderBy = parseOrderBy(E, ['-salary', 'name']);
    expect(cursorCondition(E, orderBy, encodeCursor(orderBy, ROW))).toEqual({
      type: 'or',
      conditions: [
        cmp('salary', 'lt', 100),
        { type: 'and', conditions: [cmp('salary', 'eq', 100), cmp('name', 'gt', 'Ann')] },
        {
          type: 'and',
          conditions: [cmp('salary', 'eq', 100), cmp('name', 'eq', 'Ann'), cmp('id', 'gt', ID)],
        },
      ],
    });
  });

  it('round-trips numbers, booleans and versions', () => {
    const orderBy = parseOrderBy(E, ['score', '-active', 'version']);
    expect(cursorCondition(E, orderBy, encodeCursor(orderBy, ROW))).toEqual({
      type: 'or',
      conditions: [
        cmp('score', 'gt', 2.5),
        { type: 'and', conditions: [cmp('score', 'eq', 2.5), cmp('active', 'lt', true)] },
        {
          type: 'and',
          conditions: [cmp('score', 'eq', 2.5), cmp('active', 'eq', true), cmp('version', 'gt', 3)],
        },
        {
          type: 'and',
          conditions: [
            cmp('score', 'eq', 2.5),
            cmp('active', 'eq', true),
            cmp('version', 'eq', 3),
            cmp('id', 'gt', ID),
          ],
        },
      ],
    });
  });

  it('encodes Dates as epoch milliseconds and decodes them back to Dates', () => {
    const orderBy = parseOrderBy(E, ['-hiredAt', 'createdAt']);
    const cursor = encodeCursor(orderBy, ROW);
    expect(payloadOf(cursor).v).toEqual([HIRED.getTime(), ROW.createdAt.getTime(), ID]);
    const condition = cursorCondition(E, orderBy, cursor) as Extract<Condition, { type: 'or' }>;
    const first = condition.conditions[0] as Extract<Condition, { type: 'compare' }>;
    expect(first).toEqual(cmp('hiredAt', 'lt', HIRED));
    expect(first.value).toBeInstanceOf(Date);
    expect((first.value as Date).getTime()).toBe(HIRED.getTime());
    expect(condition.conditions[1]).toEqual({
      type: 'and',
      conditions: [cmp('hiredAt', 'eq', HIRED), cmp('createdAt', 'gt', ROW.createdAt)],
    });
  });

  it('round-trips strings with quotes, unicode and JSON-like text', () => {
    const orderBy = parseOrderBy(E, 'name');
    const name = 'O\'Brien "😀" {"s":1} \\ é';
    const cursor = encodeCursor(orderBy, { ...ROW, name });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursorCondition(E, orderBy, cursor)).toMatchObject({
      conditions: [cmp('name', 'gt', name), expect.anything()],
    });
  });
});

describe('cursorCondition: refusals', () => {
  const orderBy = parseOrderBy(E, ['-salary', 'name']);
  const cursor = encodeCursor(orderBy, ROW);

  it('refuses a cursor made for another sort, naming both sorts', () => {
    for (const [other, signature] of [
      [['salary', 'name'], 'salary,name,id'],
      [['-salary'], '-salary,id'],
      [['name', '-salary'], 'name,-salary,id'],
      [undefined, 'id'],
    ] as const) {
      const message = `invalid cursor: it was made for the sort "-salary,name,id", not "${signature}"`;
      expect(() => cursorCondition(E, parseOrderBy(E, other ? [...other] : undefined), cursor)).toThrow(
        expect.objectContaining({ message, issues: [{ field: 'cursor', message }] }),
      );
    }
  });

  it('refuses a truncated or tampered cursor', () => {
    invalid(orderBy, cursor.slice(0, -3));
    invalid(orderBy, cursor.slice(4));
    invalid(orderBy, `x${cursor}`);
    invalid(orderBy, encodePayload({ s: '-salary,name,id', v: [100, 'Ann'] }));
    invalid(orderBy, encodePayload({ s: '-salary,name,id', v: [100, 'Ann', ID, 'extra'] }));
    invalid(orderBy, encodePayload({ s: '-salary,name,id' }));
    invalid(orderBy, encodePayload({ v: [100, 'Ann', ID] }));
    invalid(orderBy, encodePayload({ s: '-salary,name,id', v: { 0: 100, 1: 'Ann', 2: ID, length: 3 } }));
    invalid(orderBy, encodePayload(null));
    invalid(orderBy, encodePayload(5));
    invalid(orderBy, encodePayload('-salary,name,id'));
    invalid(orderBy, encodePayload([]));
    invalid(orderBy, Buffer.from('not json').toString('base64url'));
  });

  it('refuses values of the wrong type for their field', () => {
    const s = '-salary,name,id';
    invalid(orderBy, encodePayload({ s, v: ['100', 'Ann', ID] }));
    invalid(orderBy, encodePayload({ s, v: [1.5, 'Ann', ID] }));
    invalid(orderBy, encodePayload({ s, v: [2 ** 60, 'Ann', ID] }));
    invalid(orderBy, encodePayload({ s, v: [null, 'Ann', ID] }));
    invalid(orderBy, encodePayload({ s, v: [100, 5, ID] }));
    invalid(orderBy, encodePayload({ s, v: [100, { $gt: '' }, ID] }));
    invalid(orderBy, encodePayload({ s, v: [100, 'a\u0000', ID] }));
    invalid(orderBy, encodePayload({ s, v: [100, 'Ann', null] }));
    invalid(orderBy, encodePayload({ s, v: [100, 'Ann', ['x']] }));
    const scores = parseOrderBy(E, ['score', 'active']);
    invalid(scores, encodePayload({ s: 'score,active,id', v: ['2.5', true, ID] }));
    invalid(scores, encodePayload({ s: 'score,active,id', v: [2.5, 'true', ID] }));
    invalid(scores, encodePayload({ s: 'score,active,id', v: [2.5, 1, ID] }));
  });

  it('refuses a datetime that is not a valid instant in the supported range', () => {
    const dates = parseOrderBy(E, 'hiredAt');
    invalid(dates, encodePayload({ s: 'hiredAt,id', v: ['2023-04-05T06:07:08.009Z', ID] }));
    invalid(dates, encodePayload({ s: 'hiredAt,id', v: [1.5, ID] }));
    invalid(dates, encodePayload({ s: 'hiredAt,id', v: [null, ID] }));
    invalid(dates, encodePayload({ s: 'hiredAt,id', v: [1e16, ID] }));
    // A safe integer, but beyond what a Date can hold: new Date(8.7e15) is an Invalid Date.
    invalid(dates, encodePayload({ s: 'hiredAt,id', v: [8.7e15, ID] }));
    invalid(dates, encodePayload({ s: 'hiredAt,id', v: [-8.7e15, ID] }));
    // A valid Date, but outside the years 1000..9999 every backend stores.
    invalid(dates, encodePayload({ s: 'hiredAt,id', v: [Date.UTC(10_000, 0, 1), ID] }));
  });

  it('refuses characters outside base64url, padding included', () => {
    invalid(orderBy, `${cursor.slice(0, 8)}+${cursor.slice(9)}`);
    invalid(orderBy, `${cursor.slice(0, 8)}/${cursor.slice(9)}`);
    invalid(orderBy, `${cursor}=`);
    invalid(orderBy, `${cursor} `);
    invalid(orderBy, `${cursor}.sig`);
    // Standard base64 (with + and /) of an otherwise valid payload.
    const standard = Buffer.from(JSON.stringify({ s: '-salary,name,id', v: [100, '>>>???', ID] })).toString(
      'base64',
    );
    expect(standard).toMatch(/[+/]/);
    invalid(orderBy, standard);
  });

  it('refuses an empty, an over-long or a non-string cursor', () => {
    invalid(orderBy, '');
    invalid(orderBy, 'A'.repeat(4097));
    invalid(orderBy, encodePayload({ s: '-salary,name,id', v: [100, 'x'.repeat(4000), ID] }));
    invalid(orderBy, 5);
    invalid(orderBy, null);
    invalid(orderBy, undefined);
    invalid(orderBy, { toString: () => cursor });
  });

  it('accepts a cursor of exactly 4096 characters', () => {
    const byName = parseOrderBy(E, 'name');
    // Find a name making the cursor exactly 4096 characters long.
    let name = '';
    let c = '';
    for (let size = 2900; size < 3100; size++) {
      name = 'n'.repeat(size);
      c = encodeCursor(byName, { ...ROW, name });
      if (c.length >= 4096) break;
    }
    expect(c.length).toBeGreaterThanOrEqual(4095);
    expect(c.length).toBeLessThanOrEqual(4096);
    expect(() => cursorCondition(E, byName, c)).not.toThrow();
  });
});
