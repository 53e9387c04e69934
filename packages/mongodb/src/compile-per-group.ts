import type { FindCommand } from '@berth/core';
import type { Document } from 'mongodb';
import { documentKey } from './compile-filter.js';
import { compileSort } from './compile-sort.js';

/**
 * A find keeping the first `limit` documents of each `field` value (`FindCommand.perGroup`, an include's
 * per-parent limit), as one aggregation: match, sort, `$group` each key's documents in that order
 * (`$push` keeps the order of a preceding `$sort`), `$slice` the first `limit`, unwind them back into
 * documents and sort again. Portable to every server berth talks to (the test server included), unlike
 * `$setWindowFields` (5.0) or `$topN` (5.2). The server still reads every match, but only `limit` per key
 * cross the network; `allowDiskUse` lets a large group spill instead of failing at 100 MB.
 */
export function compilePerGroup(command: FindCommand, filter: Document): Document[] {
  const { field, limit } = command.perGroup!;
  const sort = compileSort(command.orderBy);
  const hasSort = Object.keys(sort).length > 0;
  return [
    { $match: filter },
    ...(hasSort ? [{ $sort: sort }] : []),
    { $group: { _id: `$${documentKey(field)}`, docs: { $push: '$$ROOT' } } },
    { $project: { docs: { $slice: ['$docs', limit] } } },
    { $unwind: '$docs' },
    { $replaceRoot: { newRoot: '$docs' } },
    ...(hasSort ? [{ $sort: sort }] : []),
  ];
}
