import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { buildInsertRow, validatePatch, validateRow } from './build-row.js';
import { defineEntity } from './define-entity.js';
import { field } from './field.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let counter = 0;
const Employee = defineEntity('employees', {
  id: field.id(),
  name: field.string({ min: 1, max: 20 }),
  salary: field.integer({ min: 0 }),
  rating: field.number().nullable(),
  active: field.boolean().default(true),
  badge: field.integer().default(() => ++counter),
  hiredAt: field.datetime().default(() => new Date('2020-01-01T00:00:00Z')),
  nickname: field.string().nullable().default('none'),
  meta: field.json().nullable(),
  version: field.version(),
  createdAt: field.createdAt(),
  updatedAt: field.updatedAt(),
});

const NOW = new Date('2024-05-06T07:08:09.010Z');

function refusal(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

describe('buildInsertRow', () => {
  it('builds the complete row: new id, version 1, both timestamps now, defaults, nulls', () => {
    counter = 0;
    const row = buildInsertRow(Employee, { name: 'Ada', salary: 10 }, NOW);
    expect(Object.keys(row)).toEqual(Employee.fieldNames);
    expect(row.id).toMatch(UUID_V7);
    expect(row).toEqual({
      id: row.id,
      name: 'Ada',
      salary: 10,
      rating: null,
      active: true,
      badge: 1,
      hiredAt: new Date('2020-01-01T00:00:00Z'),
      nickname: 'none',
      meta: null,
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
    });
  });

  it('gives each row a new, increasing id', () => {
    const a = buildInsertRow(Employee, { name: 'A', salary: 1 }, NOW);
    const b = buildInsertRow(Employee, { name: 'B', salary: 1 }, NOW);
    expect(a.id).not.toBe(b.id);
    expect((a.id as string) < (b.id as string)).toBe(true);
  });

  it('evaluates function defaults once per row', () => {
    counter = 100;
    const a = buildInsertRow(Employee, { name: 'A', salary: 1 }, NOW);
    const b = buildInsertRow(Employee, { name: 'B', salary: 1 }, NOW);
    expect(a.badge).toBe(101);
    expect(b.badge).toBe(102);
    expect(a.hiredAt).toEqual(b.hiredAt);
    expect(a.hiredAt).not.toBe(b.hiredAt);
    const spy = vi.fn(() => 7);
    const E = defineEntity('things', { id: field.id(), n: field.integer().default(spy) });
    buildInsertRow(E, {}, NOW);
    expect(spy).toHaveBeenCalledTimes(1);
    buildInsertRow(E, { n: 3 }, NOW);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('does not share a constant object default between rows', () => {
    const E = defineEntity('things', {
      id: field.id(),
      settings: field.json<{ tags: string[] }>().default({ tags: [] }),
      since: field.datetime().default(new Date('2020-01-01T00:00:00Z')),
    });
    const first = buildInsertRow(E, {}, NOW);
    (first.settings as { tags: string[] }).tags.push('changed');
    (first.since as Date).setTime(0);
    const second = buildInsertRow(E, {}, NOW);
    expect(second.settings).toEqual({ tags: [] });
    expect(second.since).toEqual(new Date('2020-01-01T00:00:00Z'));
  });

  it('uses the given value over the default, undefined as absent, and null only where nullable', () => {
    const row = buildInsertRow(
      Employee,
      { name: 'A', salary: 1, active: false, nickname: null, rating: undefined, badge: undefined },
      NOW,
    );
    expect(row.active).toBe(false);
    expect(row.nickname).toBeNull();
    expect(row.rating).toBeNull();
    expect(typeof row.badge).toBe('number');
    const error = refusal(() => buildInsertRow(Employee, { name: 'A', salary: 1, active: null }, NOW));
    expect(error.issues).toEqual([{ field: 'active', message: 'active must not be null' }]);
  });

  it('validates defaults like any other value', () => {
    const E = defineEntity('things', { id: field.id(), n: field.integer().default(() => 1.5) });
    refusal(() => buildInsertRow(E, {}, NOW));
  });

  it('refuses a missing required field', () => {
    const error = refusal(() => buildInsertRow(Employee, { name: 'A' }, NOW));
    expect(error.issues).toEqual([{ field: 'salary', message: 'salary is required' }]);
    expect(error.message).toBe('invalid employees: salary is required');
  });

  it('refuses unknown fields and managed fields', () => {
    const unknown = refusal(() => buildInsertRow(Employee, { name: 'A', salary: 1, boss: 'x' }, NOW));
    expect(unknown.issues).toEqual([{ field: 'boss', message: 'boss is not a field of employees' }]);
    for (const managed of ['id', 'version', 'createdAt', 'updatedAt']) {
      const error = refusal(() =>
        buildInsertRow(Employee, { name: 'A', salary: 1, [managed]: managed === 'version' ? 1 : 'x' }, NOW),
      );
      expect(error.issues).toEqual([{ field: managed, message: `${managed} is set by the data layer` }]);
    }
  });

  it('lists every problem in issues', () => {
    const error = refusal(() =>
      buildInsertRow(
        Employee,
        { id: 'mine', boss: 1, name: '', salary: -1, rating: 'high', meta: { f: () => 1 } },
        NOW,
      ),
    );
    expect(error.issues).toEqual([
      { field: 'id', message: 'id is set by the data layer' },
      { field: 'boss', message: 'boss is not a field of employees' },
      { field: 'name', message: 'name must be at least 1 character' },
      { field: 'salary', message: 'salary must be at least 0' },
      { field: 'rating', message: 'rating must be a finite number' },
      { field: 'meta', message: 'meta must be a JSON value' },
    ]);
    expect(error.message).toBe('invalid employees: id is set by the data layer');
    expect(error.code).toBe('VALIDATION');
  });

  it.each([
    ['an array', []],
    ['null', null],
    ['undefined', undefined],
    ['a string', '{"name":"A"}'],
    ['a number', 5],
    ['a Date', new Date()],
    ['a Map', new Map([['name', 'A']])],
    [
      'a class instance',
      new (class Input {
        name = 'A';
        salary = 1;
      })(),
    ],
  ])('refuses %s as input', (_, input) => {
    const error = refusal(() => buildInsertRow(Employee, input, NOW));
    expect(error.message).toBe('an employees must be an object');
  });

  it('accepts an object without a prototype', () => {
    const input = Object.assign(Object.create(null), { name: 'A', salary: 1 });
    expect(buildInsertRow(Employee, input, NOW).name).toBe('A');
  });

  it('handles a parsed "__proto__" key safely', () => {
    const input = JSON.parse('{"__proto__": {"x": 1}, "name": "A", "salary": 1}');
    const error = refusal(() => buildInsertRow(Employee, input, NOW));
    expect(error.issues).toEqual([{ field: '__proto__', message: '__proto__ is not a field of employees' }]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses an object whose fields are inherited rather than own', () => {
    const input = Object.create({ name: 'Inherited', salary: 5 });
    const error = refusal(() => buildInsertRow(Employee, input, NOW));
    expect(error.message).toBe('an employees must be an object');
  });

  it("does not read fields from a prototype-less object's absent keys", () => {
    const input = Object.assign(Object.create(null), { name: 'A' });
    const error = refusal(() => buildInsertRow(Employee, input, NOW));
    expect(error.issues).toEqual([{ field: 'salary', message: 'salary is required' }]);
  });

  it('stores a parsed "__proto__" key inside a JSON value as plain data', () => {
    const meta = JSON.parse('{"__proto__": {"admin": true}}');
    const row = buildInsertRow(Employee, { name: 'A', salary: 1, meta }, NOW);
    expect(row.meta).toBe(meta);
    expect((row as Record<string, unknown>).admin).toBeUndefined();
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
  });
});

describe('validatePatch', () => {
  it('returns the valid caller-owned fields, without undefined members', () => {
    expect(validatePatch(Employee, { name: 'B', salary: 2, rating: null, nickname: undefined })).toEqual({
      name: 'B',
      salary: 2,
      rating: null,
    });
    const patch = validatePatch(Employee, { name: 'B', rating: undefined });
    expect(Object.keys(patch)).toEqual(['name']);
    expect(validatePatch(Employee, {})).toEqual({});
  });

  it('refuses unknown and managed fields, and invalid values, listing every issue', () => {
    const error = refusal(() =>
      validatePatch(Employee, { version: 3, boss: 'x', name: 5, salary: 1.5, active: null, updatedAt: NOW }),
    );
    expect(error.issues).toEqual([
      { field: 'version', message: 'version is set by the data layer' },
      { field: 'boss', message: 'boss is not a field of employees' },
      { field: 'updatedAt', message: 'updatedAt is set by the data layer' },
      { field: 'name', message: 'name must be a string' },
      { field: 'salary', message: 'salary must be a safe integer' },
      { field: 'active', message: 'active must not be null' },
    ]);
    expect(error.message).toBe('invalid change to employees: version is set by the data layer');
  });

  it.each([[[]], [null], ['x'], [new Date()], [undefined]])('refuses %j as a patch', (input) => {
    const error = refusal(() => validatePatch(Employee, input));
    expect(error.message).toBe('a change to employees must be an object');
  });

  it('handles a parsed "__proto__" key safely', () => {
    const error = refusal(() => validatePatch(Employee, JSON.parse('{"__proto__": {"x": 1}}')));
    expect(error.issues).toEqual([{ field: '__proto__', message: '__proto__ is not a field of employees' }]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses the names of Object.prototype members', () => {
    const error = refusal(() => validatePatch(Employee, { toString: 'x', constructor: 'y' }));
    expect(error.issues.map((i) => i.field)).toEqual(['toString', 'constructor']);
  });
});

describe('validateRow', () => {
  it('checks every caller-owned field and ignores managed ones', () => {
    const row = buildInsertRow(Employee, { name: 'A', salary: 1 }, NOW);
    expect(() => validateRow(Employee, row)).not.toThrow();
    expect(() => validateRow(Employee, { ...row, version: 'x', id: 5 })).not.toThrow();
    const error = refusal(() => validateRow(Employee, { ...row, name: '', salary: undefined }));
    expect(error.issues).toEqual([
      { field: 'name', message: 'name must be at least 1 character' },
      { field: 'salary', message: 'salary is required' },
    ]);
  });
});
