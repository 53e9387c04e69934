import { THROUGH_KEY, type FindCommand } from '@berth/core';
import type { Document } from 'mongodb';
import { compileFilter, documentKey } from './compile-filter.js';
import { compileSort } from './compile-sort.js';

const TARGET = 'berth_target';

/**
 * A many-to-many read (`FindCommand.through`) as one aggregation over the join collection: the links of
 * the parent keys, each joined to its target document (`$lookup` on `_id`), the target lifted to the top
 * with its parent key beside it, then the read's filter, and the first `limit` per parent as
 * `compilePerGroup` keeps them (`$group` / `$slice`, portable to every server berth talks to). A link to a
 * missing target (nothing enforces the key on MongoDB) joins nothing and is dropped. `filter` is the
 * target's, already freed of relation filters.
 */
export function compileThrough(command: FindCommand, targetCollection: string, filter: Document): Document[] {
  const through = command.through!;
  const sort = compileSort(command.orderBy);
  const hasSort = Object.keys(sort).length > 0;
  const links = compileFilter({ type: 'in', field: through.fromKey, values: through.keys, negated: false });
  return [
    { $match: links },
    {
      $lookup: {
        from: targetCollection,
        localField: documentKey(through.toKey),
        foreignField: '_id',
        as: TARGET,
      },
    },
    { $unwind: `$${TARGET}` },
    {
      $replaceRoot: {
        newRoot: { $mergeObjects: [`$${TARGET}`, { [THROUGH_KEY]: `$${documentKey(through.fromKey)}` }] },
      },
    },
    { $match: filter },
    ...(hasSort ? [{ $sort: sort }] : []),
    { $group: { _id: `$${THROUGH_KEY}`, docs: { $push: '$$ROOT' } } },
    { $project: { docs: { $slice: ['$docs', through.limit] } } },
    { $unwind: '$docs' },
    { $replaceRoot: { newRoot: '$docs' } },
    ...(hasSort ? [{ $sort: sort }] : []),
  ];
}
