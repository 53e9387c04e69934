import { ValidationError, defineEntity, field } from '@berth/core';
import { Long } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { decodeDocument, encodeDocument, encodeSet } from './document-codec.js';

const Doc = defineEntity('docs', {
  id: field.id(),
  n: field.integer(),
  x: field.number(),
  note: field.string().nullable(),
  data: field.json().nullable(),
});

describe('document codec', () => {
  it('writes every field (nulls included) with id as _id, and reads it back', () => {
    const row = { id: 'i', n: 1, x: 0.5, note: null, data: { a: [1, { b: null }] } };
    const doc = encodeDocument(Doc, row);
    expect(doc).toEqual({ _id: 'i', n: 1, x: 0.5, note: null, data: { a: [1, { b: null }] } });
    expect(Object.keys(doc)).toEqual(['_id', 'n', 'x', 'note', 'data']);
    expect(decodeDocument(Doc, doc)).toEqual(row);
  });

  it('reads a missing field as null, ignores undeclared ones, and converts BSON numbers', () => {
    expect(
      decodeDocument(Doc, { _id: 'i', n: Long.fromNumber(2 ** 53 - 1), x: 1, extra: 'ignored' }),
    ).toEqual({
      id: 'i',
      n: 2 ** 53 - 1,
      x: 1,
      note: null,
      data: null,
    });
  });

  it('refuses JSON keys starting with $ or containing a dot, anywhere, on insert and update', () => {
    for (const data of [
      { $set: 1 },
      { a: { 'b.c': 1 } },
      [{ ok: 1 }, { $where: 'x' }],
      { a: [[{ $ne: null }]] },
    ]) {
      const insert = () => encodeDocument(Doc, { id: 'i', n: 1, x: 1, note: null, data });
      expect(insert).toThrow(ValidationError);
      expect(() => encodeSet(Doc, { data })).toThrow(ValidationError);
      try {
        insert();
      } catch (error) {
        expect((error as ValidationError).issues[0]?.field).toBe('data');
      }
    }
  });

  it('accepts other keys and string values that merely look like operators', () => {
    const data = { a$: '$ne', 'ключ 🔑': 'x', '': 1, __proto__x: ['$where'] };
    expect(encodeSet(Doc, { data })).toEqual({ data });
  });

  it('refuses unknown fields in an update', () => {
    expect(() => encodeSet(Doc, { nope: 1 })).toThrow(ValidationError);
  });
});
