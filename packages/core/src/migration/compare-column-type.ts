import type { ColumnType } from './schema-model.js';

/**
 * How a column's type changes: not at all, to a type that holds every old value (`widening`: a longer
 * string, a wider integer), to a narrower one of the same family (`narrowing`: values may not fit), or to
 * another family (`kind-change`: values may not convert, as an integer column turned string).
 */
export type ColumnChange = 'same' | 'widening' | 'narrowing' | 'kind-change';

/** Classifies the change from the live type `from` to the wanted type `to`. */
export function compareColumnType(from: ColumnType, to: ColumnType): ColumnChange {
  if (from.type === to.type) return 'same';
  if (from.kind !== to.kind) return 'kind-change';
  if (from.kind === 'string') {
    // No length is unbounded text: the widest.
    const before = from.length ?? Number.POSITIVE_INFINITY;
    const after = to.length ?? Number.POSITIVE_INFINITY;
    return after >= before ? 'widening' : 'narrowing';
  }
  if (from.bits !== undefined && to.bits !== undefined)
    return to.bits >= from.bits ? 'widening' : 'narrowing';
  return 'kind-change';
}
