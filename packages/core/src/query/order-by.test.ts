import { describe, expect, it } from 'vitest';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { ValidationError } from '../errors/validation-error.js';
import { parseOrderBy } from './order-by.js';

const E = defineEntity('employees', {
  id: field.id(),
  name: field.string(),
  salary: field.integer(),
  hiredAt: field.datetime(),
  nick: field.string().nullable(),
  meta: field.json(),
  version: field.version(),
});

function refusal(orderBy: unknown, message: string | RegExp): ValidationError {
  try {
    parseOrderBy(E, orderBy);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(message);
    return error as ValidationError;
  }
  throw new Error(`expected ${JSON.stringify(orderBy)} to be refused`);
}

describe('parseOrderBy', () => {
  it('sorts by id alone when no order is given', () => {
    expect(parseOrderBy(E, undefined)).toEqual([{ field: 'id', direction: 'asc' }]);
    expect(parseOrderBy(E, [])).toEqual([{ field: 'id', direction: 'asc' }]);
  });

  it('parses a single key, ascending, and appends id', () => {
    expect(parseOrderBy(E, 'name')).toEqual([
      { field: 'name', direction: 'asc' },
      { field: 'id', direction: 'asc' },
    ]);
  });

  it('reads a leading "-" as descending', () => {
    expect(parseOrderBy(E, ['-salary', 'name', '-hiredAt'])).toEqual([
      { field: 'salary', direction: 'desc' },
      { field: 'name', direction: 'asc' },
      { field: 'hiredAt', direction: 'desc' },
      { field: 'id', direction: 'asc' },
    ]);
    expect(parseOrderBy(E, '-version')).toEqual([
      { field: 'version', direction: 'desc' },
      { field: 'id', direction: 'asc' },
    ]);
  });

  it('stops at an explicit id, keeping its direction', () => {
    expect(parseOrderBy(E, ['-id'])).toEqual([{ field: 'id', direction: 'desc' }]);
    expect(parseOrderBy(E, 'id')).toEqual([{ field: 'id', direction: 'asc' }]);
    expect(parseOrderBy(E, ['name', '-id'])).toEqual([
      { field: 'name', direction: 'asc' },
      { field: 'id', direction: 'desc' },
    ]);
  });

  it('refuses sort keys after id, which could never decide an order', () => {
    expect(() => parseOrderBy(E, ['name', '-id', 'salary'])).toThrow(ValidationError);
    expect(() => parseOrderBy(E, ['id', 'bogus'])).toThrow('no sort key may follow "id"');
  });

  it('refuses unknown fields, Object.prototype members included', () => {
    const error = refusal(['boss'], 'unknown sort key "boss"');
    expect(error.issues).toEqual([{ field: 'boss', message: 'unknown sort key' }]);
    refusal('-boss', 'unknown sort key "-boss"');
    refusal('constructor', /unknown sort key/);
    refusal('-toString', /unknown sort key/);
    refusal('__proto__', /unknown sort key/);
    refusal('--name', /unknown sort key/);
    refusal('-', /unknown sort key/);
    refusal('+name', /unknown sort key/);
    refusal(' name', /unknown sort key/);
    refusal('Name', /unknown sort key/);
  });

  it('refuses JSON and nullable fields', () => {
    const error = refusal('meta', 'cannot sort on "meta"');
    expect(error.issues).toEqual([{ field: 'meta', message: 'not sortable' }]);
    refusal('-nick', 'cannot sort on "nick"');
  });

  it('refuses a field given twice, in either direction', () => {
    const error = refusal(['name', '-name'], 'sort key "name" given twice');
    expect(error.issues).toEqual([{ field: 'name', message: 'duplicate' }]);
    refusal(['salary', 'name', 'salary'], /given twice/);
  });

  it('refuses keys that are not non-empty strings', () => {
    refusal('', 'a sort key must be a field name');
    refusal([5], 'a sort key must be a field name');
    refusal([null], 'a sort key must be a field name');
    refusal([['name']], 'a sort key must be a field name');
    refusal({ name: 1 }, 'a sort key must be a field name');
    refusal(7, 'a sort key must be a field name');
  });
});
