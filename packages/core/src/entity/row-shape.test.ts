import { describe, expect, it } from 'vitest';
import { defineEntity } from './define-entity.js';
import { field } from './field.js';
import { rowShape } from './row-shape.js';

const T1 = Date.UTC(2024, 0, 2, 3, 4, 5, 6);
const T2 = Date.UTC(2025, 5, 6, 7, 8, 9, 10);

const Event = defineEntity('row_shape_events', {
  id: field.id(),
  at: field.datetime(),
  until: field.datetime().nullable(),
  meta: field.json<Record<string, unknown>>().nullable(),
});

describe('rowShape(entity).copy', () => {
  const entity = Event;
  const copy = (row: Record<string, unknown>) => rowShape(entity).copy(row);

  it("never hands back the row's own Dates or JSON values", () => {
    const row = { id: 'a', at: new Date(T1), until: null, meta: { n: [1] } };
    const copied = copy(row);
    expect(copied.at).not.toBe(row.at);
    expect(copied.at).toEqual(row.at);
    expect(copied.meta).not.toBe(row.meta);
    expect(copied.meta).toEqual(row.meta);
    row.at.setTime(T2);
    expect((copied.at as Date).getTime()).toBe(T1);
  });

  it('shares one Date between copies of one field holding the same instant, not between fields', () => {
    const first = copy({ id: 'a', at: new Date(T1), until: new Date(T1), meta: null });
    const second = copy({ id: 'b', at: new Date(T1), until: new Date(T1), meta: null });
    expect(second.at).toBe(first.at);
    expect(second.until).toBe(first.until);
    expect(first.until).not.toBe(first.at);
  });

  it('a Date changed in place is a new instant: copied anew, and the earlier copies keep theirs', () => {
    const date = new Date(T1);
    const first = copy({ id: 'a', at: date, until: null, meta: null });
    date.setTime(T2);
    const second = copy({ id: 'a', at: date, until: null, meta: null });
    expect(second.at).not.toBe(first.at);
    expect((first.at as Date).getTime()).toBe(T1);
    expect((second.at as Date).getTime()).toBe(T2);
    expect(rowShape(entity).equal(first, second)).toBe(false);
  });

  it('never shares an invalid Date', () => {
    const first = copy({ id: 'a', at: new Date(Number.NaN), until: null, meta: null });
    const second = copy({ id: 'b', at: new Date(Number.NaN), until: null, meta: null });
    expect(second.at).not.toBe(first.at);
    expect(Number.isNaN((second.at as Date).getTime())).toBe(true);
  });
});
