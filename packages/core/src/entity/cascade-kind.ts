/**
 * A unit-of-work operation a relation passes on to its related rows (docs/relations.md, "Cascades"):
 * `persist` inserts the new related rows given with the parent, `remove` removes the children with it.
 */
export type CascadeKind = 'persist' | 'remove';

/** Every cascade kind, for validating declarations at run time. */
export const CASCADE_KINDS: readonly CascadeKind[] = ['persist', 'remove'];
