import { defineEntity, field, normalizeAggregate } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { compileAggregate, emptyGroup } from './compile-aggregate.js';

const Thing = defineEntity('things', {
  id: field.id(),
  kind: field.string(),
  size: field.integer(),
});

describe('compileAggregate', () => {
  it('builds $match, $group, having $match, $sort and $limit', () => {
    const command = normalizeAggregate(Thing, {
      where: { size: { gt: 1 } },
      groupBy: ['kind'],
      count: true,
      avg: ['size'],
      having: { count: { gte: 2 } },
      orderBy: '-avg.size',
      limit: 3,
    });
    expect(compileAggregate(command)).toEqual([
      { $match: { size: { $gt: 1 } } },
      { $group: { _id: { kind: '$kind' }, agg_0: { $sum: 1 }, agg_1: { $avg: '$size' } } },
      { $match: { $and: [{ agg_0: { $gte: 2 } }] } },
      { $sort: { agg_1: -1, '_id.kind': 1 } },
      { $limit: 3 },
    ]);
  });

  it('makes the single group over no rows that SQL returns, unless having removes it', () => {
    const all = normalizeAggregate(Thing, { count: true, sum: ['size'], min: ['size'] });
    expect(emptyGroup(all)).toEqual({ _id: null, agg_0: 0, agg_1: 0, agg_2: null });
    expect(
      emptyGroup(normalizeAggregate(Thing, { count: true, having: { count: { gt: 0 } } })),
    ).toBeUndefined();
    expect(
      emptyGroup(normalizeAggregate(Thing, { count: true, having: { count: { eq: 0 } } })),
    ).toBeDefined();
  });
});
