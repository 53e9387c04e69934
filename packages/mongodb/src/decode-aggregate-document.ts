import type { AggregateCommand, AggregateResultRow } from '@berth/core';
import type { Document } from 'mongodb';
import { aggregateField } from './compile-aggregate.js';
import { decodeValue } from './document-codec.js';

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  // An Int64 (Long) or Decimal128 sum, or a bigint: read through its decimal text.
  return Number(String(value));
}

/** One `$group` output document as the core's `AggregateResultRow`. */
export function decodeAggregateDocument(command: AggregateCommand, doc: Document): AggregateResultRow {
  const id = (doc._id ?? {}) as Document;
  const keys: Record<string, unknown> = {};
  for (const field of command.groupBy) keys[field] = decodeValue(command.entity.fields[field]!, id[field]);
  const values: Record<string, unknown> = {};
  command.aggregates.forEach((spec, i) => {
    const raw = doc[aggregateField(i)];
    if (spec.fn === 'count' || spec.fn === 'sum') values[spec.key] = toNumber(raw) ?? 0;
    else if (spec.fn === 'avg') values[spec.key] = toNumber(raw);
    else values[spec.key] = decodeValue(command.entity.fields[spec.field!]!, raw);
  });
  return { keys, values };
}
