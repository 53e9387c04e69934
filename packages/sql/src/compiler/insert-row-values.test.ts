import { field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { encodeValue } from '../codec/row-codec.js';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { rowValuesWriter } from './insert-row-values.js';

const metas = [
  field.string().meta,
  field.boolean().meta,
  field.json().nullable().meta,
  field.datetime().meta,
  field.bytes().nullable().meta,
  field.integer().nullable().meta,
];
const when = new Date('2024-01-02T03:04:05.006Z');
const row = {
  name: 'a',
  active: true,
  meta: { k: [1] },
  at: when,
  blob: new Uint8Array([7]),
  count: undefined,
};

/** Every dialect, with field names that the generated writer handles and with `__proto__` (the loop). */
const cases = [
  { dialect: postgresDialect, fields: ['name', 'active', 'meta', 'at', 'blob', 'count'] },
  { dialect: mysqlDialect, fields: ['name', 'active', 'meta', 'at', 'blob', 'count'] },
  { dialect: mysqlDialect, fields: ['name', 'active', 'meta', 'at', 'blob', '__proto__'] },
];

describe('rowValuesWriter', () => {
  it("writes encodeValue's answer for every field, in order, from the given index", () => {
    for (const { dialect, fields } of cases) {
      const stored: Record<string, unknown> = Object.create(null);
      fields.forEach((name, f) => {
        stored[name] = Object.values(row)[f];
      });
      const params: unknown[] = ['before'];
      rowValuesWriter(dialect, fields, metas)(stored, params, 1);
      expect(params[0]).toBe('before');
      expect(params.slice(1)).toEqual(fields.map((name, f) => encodeValue(dialect, metas[f]!, stored[name])));
      expect(params[4]).toBe(when);
      expect(params[6]).toBeNull();
    }
  });

  it('writes an absent or null field as null', () => {
    const params: unknown[] = [];
    rowValuesWriter(postgresDialect, ['meta', 'count'], [metas[2]!, metas[5]!])({ meta: null }, params, 0);
    expect(params).toEqual([null, null]);
  });
});
