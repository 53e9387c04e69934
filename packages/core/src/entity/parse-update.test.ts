import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { defineEntity } from './define-entity.js';
import { field } from './field.js';
import { applyOperation, parseUpdate, withinBounds } from './parse-update.js';

const Item = defineEntity('items', {
  id: field.id(),
  name: field.string(),
  stock: field.integer({ min: 0, max: 10.5 }),
  price: field.number({ min: 0.5 }),
  free: field.number(),
  level: field.integer().nullable(),
  payload: field.json(),
  version: field.version(),
});

describe('parseUpdate', () => {
  it('splits plain values from operators; decrement is a negative increment; set is a plain value', () => {
    expect(
      parseUpdate(Item, {
        name: 'a',
        stock: { decrement: 2 },
        price: { multiply: 1.5 },
        free: { set: 3 },
        payload: { increment: 1 },
      }),
    ).toEqual({
      set: { name: 'a', free: 3, payload: { increment: 1 } },
      operations: [
        { field: 'stock', op: 'increment', by: -2, min: 0, max: 10 },
        { field: 'price', op: 'multiply', by: 1.5, min: 0.5, max: undefined },
      ],
    });
  });

  it('bounds integers by the safe-integer range when they declare none; numbers have only what they declare', () => {
    const Open = defineEntity('open', { id: field.id(), n: field.integer(), x: field.number() });
    expect(parseUpdate(Open, { n: { increment: 1 }, x: { increment: 1 } }).operations).toEqual([
      { field: 'n', op: 'increment', by: 1, min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER },
      { field: 'x', op: 'increment', by: 1, min: undefined, max: undefined },
    ]);
  });

  it.each([
    [{ name: { increment: 1 } }],
    [{ level: { increment: 1 } }],
    [{ stock: { increment: 1.5 } }],
    [{ stock: { multiply: 0.5 } }],
    [{ stock: { increment: 1, decrement: 1 } }],
    [{ stock: { add: 1 } }],
    [{ stock: {} }],
    [{ stock: [] }],
    [{ price: { increment: Number.NaN } }],
    [{ price: { increment: '1' } }],
    [{ stock: { set: 11 } }],
    [{ version: { increment: 1 } }],
    [{ nope: { increment: 1 } }],
    [null],
    [[]],
    [new Date()],
    [new Map()],
    ['stock'],
  ])('refuses %j with ValidationError', (patch) => {
    expect(() => parseUpdate(Item, patch)).toThrow(ValidationError);
  });

  it('applyOperation and withinBounds compute what the database computes', () => {
    const [dec] = parseUpdate(Item, { stock: { decrement: 3 } }).operations;
    expect(applyOperation(dec!, 5)).toBe(2);
    expect(withinBounds(dec!, 3)).toBe(true);
    expect(withinBounds(dec!, 2)).toBe(false);
    const [mul] = parseUpdate(Item, { stock: { multiply: 3 } }).operations;
    expect(applyOperation(mul!, 3)).toBe(9);
    expect(withinBounds(mul!, 4)).toBe(false);
  });
});

describe('parseUpdate: rounding multiply', () => {
  it("accepts { multiply, round: 'half-away-from-zero' } on integer fields, with the integer bounds", () => {
    expect(parseUpdate(Item, { stock: { multiply: 1.05, round: 'half-away-from-zero' } }).operations).toEqual(
      [{ field: 'stock', op: 'multiply', by: 1.05, round: 'half-away-from-zero', min: 0, max: 10 }],
    );
  });

  it('refuses it on number fields, with other keys, another mode or too many places', () => {
    for (const patch of [
      { price: { multiply: 1.5, round: 'half-away-from-zero' } },
      { stock: { multiply: 1.5, round: 'half-even' } },
      { stock: { increment: 1, round: 'half-away-from-zero' } },
      { stock: { multiply: 1.5, round: 'half-away-from-zero', set: 2 } },
      { stock: { multiply: 1.123456789, round: 'half-away-from-zero' } },
      { stock: { multiply: 1e300, round: 'half-away-from-zero' } },
    ])
      expect(() => parseUpdate(Item, patch)).toThrow(ValidationError);
  });

  it('applyOperation gives the rounded product; withinBounds checks it', () => {
    const op = parseUpdate(Item, { stock: { multiply: 2.5, round: 'half-away-from-zero' } }).operations[0]!;
    expect(applyOperation(op, 3)).toBe(8);
    expect(withinBounds(op, 4)).toBe(true); // 10
    expect(withinBounds(op, 5)).toBe(false); // 12.5 -> 13
  });
});
