import { MATCH_ALL, defineEntity, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { compilePerGroup } from './compile-per-group.js';

const Line = defineEntity('lines', { id: field.id(), orderId: field.string(), quantity: field.integer() });

describe('compilePerGroup', () => {
  it('sorts, groups by the key in that order, keeps the first n of each, and restores the order', () => {
    const orderBy = [
      { field: 'quantity', direction: 'desc' },
      { field: 'id', direction: 'asc' },
    ] as const;
    const command = { entity: Line, where: MATCH_ALL, orderBy, perGroup: { field: 'orderId', limit: 2 } };
    expect(compilePerGroup(command, { orderId: { $in: ['a'] } })).toEqual([
      { $match: { orderId: { $in: ['a'] } } },
      { $sort: { quantity: -1, _id: 1 } },
      { $group: { _id: '$orderId', docs: { $push: '$$ROOT' } } },
      { $project: { docs: { $slice: ['$docs', 2] } } },
      { $unwind: '$docs' },
      { $replaceRoot: { newRoot: '$docs' } },
      { $sort: { quantity: -1, _id: 1 } },
    ]);
  });
});
