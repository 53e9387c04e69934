import type { AggregateCommand, AggregateSpec } from '@berth/core';
import type { Document } from 'mongodb';
import { compileFilter, documentKey } from './compile-filter.js';

const COMPARE: Readonly<Record<string, string>> = {
  eq: '$eq',
  ne: '$ne',
  gt: '$gt',
  gte: '$gte',
  lt: '$lt',
  lte: '$lte',
};

/** The output field of the `index`-th aggregate in the `$group` stage. */
export function aggregateField(index: number): string {
  return `agg_${index}`;
}

function accumulator(spec: AggregateSpec): Document {
  if (spec.fn === 'count') return { $sum: 1 };
  const path = `$${documentKey(spec.field!)}`;
  // $sum over no numbers is 0, $avg/$min/$max null: the SQL compiler matches these.
  return { [`$${spec.fn}`]: path };
}

/**
 * The pipeline of an `AggregateCommand`: `$match` (the filter), `$group` (keys under `_id`, aggregates as
 * `agg_<index>`), `$match` on the aggregates (having), `$sort` (group keys as `_id.<field>`), `$limit`.
 * Every operator is written here; names come from the entity, values from the validated command.
 */
export function compileAggregate(command: AggregateCommand): Document[] {
  const pipeline: Document[] = [];
  const filter = compileFilter(command.where);
  if (Object.keys(filter).length > 0) pipeline.push({ $match: filter });
  const id =
    command.groupBy.length === 0
      ? null
      : Object.fromEntries(command.groupBy.map((f) => [f, `$${documentKey(f)}`]));
  const group: Document = { _id: id };
  command.aggregates.forEach((spec, i) => {
    group[aggregateField(i)] = accumulator(spec);
  });
  pipeline.push({ $group: group });
  const outputOf = (key: string) => {
    const index = command.aggregates.findIndex((s) => s.key === key);
    return index >= 0 ? aggregateField(index) : `_id.${key}`;
  };
  if (command.having.length > 0) {
    pipeline.push({
      $match: { $and: command.having.map((h) => ({ [outputOf(h.key)]: { [COMPARE[h.op]!]: h.value } })) },
    });
  }
  if (command.orderBy.length > 0) {
    const sort: Record<string, 1 | -1> = {};
    for (const k of command.orderBy) sort[outputOf(k.key)] = k.direction === 'asc' ? 1 : -1;
    pipeline.push({ $sort: sort });
  }
  if (command.limit !== undefined) pipeline.push({ $limit: command.limit });
  return pipeline;
}

/**
 * The values of the single group over no rows, which `$group` does not produce but SQL does: a count and
 * sums of 0, everything else null. Returned only when it passes `having`.
 */
export function emptyGroup(command: AggregateCommand): Document | undefined {
  const doc: Document = { _id: null };
  command.aggregates.forEach((spec, i) => {
    doc[aggregateField(i)] = spec.fn === 'count' || spec.fn === 'sum' ? 0 : null;
  });
  const passes = command.having.every((h) => {
    const index = command.aggregates.findIndex((s) => s.key === h.key);
    const value = doc[aggregateField(index)] as number | null;
    if (value === null) return false;
    const target = h.value as number;
    switch (h.op) {
      case 'eq':
        return value === target;
      case 'ne':
        return value !== target;
      case 'gt':
        return value > target;
      case 'gte':
        return value >= target;
      case 'lt':
        return value < target;
      case 'lte':
        return value <= target;
      default:
        return false;
    }
  });
  return passes ? doc : undefined;
}
