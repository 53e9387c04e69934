import type { EntityMeta, FieldKind, IndexMeta } from '@berth/core';
import type { IndexDescription } from 'mongodb';
import { documentKey } from './compile-filter.js';

/** The BSON type each field kind is stored as, for partial index filters. */
const BSON_TYPE: Partial<Record<FieldKind, string>> = {
  id: 'string',
  string: 'string',
  integer: 'number',
  number: 'number',
  version: 'number',
  boolean: 'bool',
  datetime: 'date',
  createdAt: 'date',
  updatedAt: 'date',
};

/**
 * The index MongoDB creates for one `IndexMeta`, under its berth name (so a duplicate-key error can be
 * mapped back to the fields). A unique index over nullable fields only covers documents where those
 * fields hold a value (`partialFilterExpression` with `$type`), because MongoDB otherwise counts null as
 * a value and would refuse a second null, where SQL's unique constraints accept any number of NULLs.
 */
export function indexSpec(entity: EntityMeta, index: IndexMeta): IndexDescription {
  const key: Record<string, 1> = {};
  for (const field of index.fields) key[documentKey(field)] = 1;
  const spec: IndexDescription = { key, name: index.name, unique: index.unique };
  if (index.unique) {
    const partial: Record<string, unknown> = {};
    for (const field of index.fields) {
      const meta = entity.fields[field]!;
      const type = BSON_TYPE[meta.kind];
      if (meta.nullable && type) partial[documentKey(field)] = { $type: type };
    }
    if (Object.keys(partial).length > 0) spec.partialFilterExpression = partial;
  }
  return spec;
}
