import { describe, expect, it } from 'vitest';
import { type Condition, MATCH_ALL, and, or } from './condition.js';

const a: Condition = { type: 'compare', field: 'a', op: 'eq', value: 1 };
const b: Condition = { type: 'compare', field: 'b', op: 'gt', value: 2 };
const c: Condition = { type: 'null', field: 'c', isNull: true };
const T: Condition = { type: 'literal', value: true };
const F: Condition = { type: 'literal', value: false };

describe('MATCH_ALL', () => {
  it('is a frozen literal true', () => {
    expect(MATCH_ALL).toEqual(T);
    expect(Object.isFrozen(MATCH_ALL)).toBe(true);
  });
});

describe('and', () => {
  it('of nothing matches everything', () => {
    expect(and()).toEqual(T);
  });

  it('of one condition is that condition', () => {
    expect(and(a)).toBe(a);
  });

  it('joins several conditions in order', () => {
    expect(and(a, b, c)).toEqual({ type: 'and', conditions: [a, b, c] });
  });

  it('drops literal trues', () => {
    expect(and(T, a, T)).toBe(a);
    expect(and(T, T)).toEqual(T);
    expect(and(a, T, b)).toEqual({ type: 'and', conditions: [a, b] });
  });

  it('folds to false when any member is false', () => {
    expect(and(a, F, b)).toEqual(F);
    expect(and(F)).toEqual(F);
    expect(and(T, F)).toEqual(F);
  });

  it('flattens nested ands but keeps ors', () => {
    const inner: Condition = { type: 'and', conditions: [b, c] };
    expect(and(a, inner)).toEqual({ type: 'and', conditions: [a, b, c] });
    const alt: Condition = { type: 'or', conditions: [b, c] };
    expect(and(a, alt)).toEqual({ type: 'and', conditions: [a, alt] });
    const not: Condition = { type: 'not', condition: a };
    expect(and(not, b)).toEqual({ type: 'and', conditions: [not, b] });
  });

  it('does not change its arguments', () => {
    const inner: Condition = { type: 'and', conditions: [b, c] };
    and(a, inner);
    expect(inner).toEqual({ type: 'and', conditions: [b, c] });
  });
});

describe('or', () => {
  it('of nothing matches nothing', () => {
    expect(or()).toEqual(F);
  });

  it('of one condition is that condition', () => {
    expect(or(a)).toBe(a);
  });

  it('joins several conditions in order', () => {
    expect(or(a, b, c)).toEqual({ type: 'or', conditions: [a, b, c] });
  });

  it('drops literal falses', () => {
    expect(or(F, a, F)).toBe(a);
    expect(or(F, F)).toEqual(F);
    expect(or(a, F, b)).toEqual({ type: 'or', conditions: [a, b] });
  });

  it('folds to true when any member is true', () => {
    expect(or(a, T, b)).toEqual(T);
    expect(or(T)).toEqual(T);
    expect(or(F, T)).toEqual(T);
  });

  it('flattens nested ors but keeps ands', () => {
    const inner: Condition = { type: 'or', conditions: [b, c] };
    expect(or(a, inner)).toEqual({ type: 'or', conditions: [a, b, c] });
    const both: Condition = { type: 'and', conditions: [b, c] };
    expect(or(a, both)).toEqual({ type: 'or', conditions: [a, both] });
  });

  it('an and of ors and an or of ands keep their structure', () => {
    expect(and(or(a, b), or(b, c))).toEqual({
      type: 'and',
      conditions: [
        { type: 'or', conditions: [a, b] },
        { type: 'or', conditions: [b, c] },
      ],
    });
  });
});
