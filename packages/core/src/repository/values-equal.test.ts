import { describe, expect, it } from 'vitest';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { changedFields, rowsEqual, valuesEqual } from './values-equal.js';

const json = field.json().meta;
const date = field.datetime().meta;
const str = field.string().nullable().meta;
const int = field.integer().meta;

describe('valuesEqual', () => {
  it('compares scalars by identity', () => {
    expect(valuesEqual(str, 'a', 'a')).toBe(true);
    expect(valuesEqual(str, 'a', 'b')).toBe(false);
    expect(valuesEqual(int, 1, 1)).toBe(true);
    expect(valuesEqual(int, 1, 2)).toBe(false);
    expect(valuesEqual(int, 1, '1')).toBe(false);
    expect(valuesEqual(int, 0, -0)).toBe(true);
    expect(valuesEqual(field.boolean().meta, true, false)).toBe(false);
  });

  it('tells null, undefined and values apart', () => {
    expect(valuesEqual(str, null, null)).toBe(true);
    expect(valuesEqual(str, undefined, undefined)).toBe(true);
    expect(valuesEqual(str, null, undefined)).toBe(false);
    expect(valuesEqual(str, null, '')).toBe(false);
    expect(valuesEqual(str, '', null)).toBe(false);
    expect(valuesEqual(int, 0, null)).toBe(false);
    expect(valuesEqual(json, null, {})).toBe(false);
    expect(valuesEqual(json, {}, null)).toBe(false);
    expect(valuesEqual(json, undefined, {})).toBe(false);
  });

  it('compares Dates by instant', () => {
    expect(valuesEqual(date, new Date(5), new Date(5))).toBe(true);
    expect(valuesEqual(date, new Date(5), new Date(6))).toBe(false);
    expect(valuesEqual(date, new Date(5), 5)).toBe(false);
    expect(valuesEqual(date, new Date(0), null)).toBe(false);
    expect(valuesEqual(field.createdAt().meta, new Date(1), new Date(1))).toBe(true);
  });

  it('compares JSON deeply, ignoring key order', () => {
    expect(valuesEqual(json, { a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(valuesEqual(json, { a: 1, b: [1, { c: 'x' }] }, { a: 1, b: [1, { c: 'y' }] })).toBe(false);
    expect(valuesEqual(json, [1, 2], [2, 1])).toBe(false);
    expect(valuesEqual(json, [1, 2], [1, 2, 3])).toBe(false);
    expect(valuesEqual(json, { a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(valuesEqual(json, { a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(valuesEqual(json, { a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
    expect(valuesEqual(json, { a: null }, { a: {} })).toBe(false);
    expect(valuesEqual(json, { a: {} }, { a: null })).toBe(false);
    expect(valuesEqual(json, [], {})).toBe(false);
    expect(valuesEqual(json, {}, [])).toBe(false);
    expect(valuesEqual(json, ['x'], { 0: 'x' })).toBe(false);
    expect(valuesEqual(json, 'x', 'x')).toBe(true);
    expect(valuesEqual(json, 1, '1')).toBe(false);
    expect(valuesEqual(json, 1, { valueOf: () => 1 })).toBe(false);
    expect(valuesEqual(json, { a: { b: { c: [true] } } }, { a: { b: { c: [true] } } })).toBe(true);
    expect(valuesEqual(json, { a: { b: { c: [true] } } }, { a: { b: { c: [false] } } })).toBe(false);
  });

  it('does not compare objects of non-JSON fields by value', () => {
    expect(valuesEqual(str, { a: 1 }, { a: 1 })).toBe(false);
  });

  it('does not read inherited properties as JSON members', () => {
    const inherited = Object.create({ a: 1 });
    inherited.b = 2;
    expect(valuesEqual(json, { b: 2, a: 1 }, { ...inherited, x: 0 })).toBe(false);
    expect(valuesEqual(json, { a: 1 }, Object.assign(Object.create({ a: 1 }), { b: 1 }))).toBe(false);
  });
});

describe('changedFields / rowsEqual', () => {
  const E = defineEntity('things', {
    id: field.id(),
    name: field.string(),
    at: field.datetime(),
    data: field.json(),
    n: field.integer().nullable(),
  });
  const row = { id: 'x', name: 'a', at: new Date(1), data: { k: [1] }, n: null };

  it('lists the differing fields in declaration order', () => {
    expect(changedFields(E, row, { ...row, at: new Date(1), data: { k: [1] } })).toEqual([]);
    expect(changedFields(E, row, { ...row, n: 0, name: 'b', data: { k: [2] } })).toEqual([
      'name',
      'data',
      'n',
    ]);
    expect(changedFields(E, row, { ...row, extra: 1 })).toEqual([]);
    const { name: _name, ...missing } = row;
    expect(changedFields(E, row, missing)).toEqual(['name']);
  });

  it('rowsEqual is true exactly when nothing changed', () => {
    expect(rowsEqual(E, row, { ...row, at: new Date(1) })).toBe(true);
    expect(rowsEqual(E, row, { ...row, at: new Date(2) })).toBe(false);
  });
});
