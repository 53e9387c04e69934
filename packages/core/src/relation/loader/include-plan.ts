import type { EntityMeta } from '../../entity/define-entity.js';
import type { Condition } from '../../query/condition.js';
import type { SortKey } from '../../query/sort-key.js';
import type { RelationMeta } from '../../entity/entity-meta.js';

/** How the rows of one relation are found: `parentKey` of each parent matched against `targetKey`. */
export interface IncludeNode {
  /** The relation's name: the property the loaded value is set on. */
  readonly name: string;
  readonly relation: RelationMeta;
  /** The entity whose rows are loaded. */
  readonly target: EntityMeta;
  /** The parent's field holding the key: the foreign key for `belongsTo`, else `id`. */
  readonly parentKey: string;
  /** The target's field matched against the keys: `id` for `belongsTo` and `manyToMany`, else the foreign key. */
  readonly targetKey: string;
  /** For `manyToMany`: the join entity and its two foreign keys (to the parent, to the target). */
  readonly join?: { readonly entity: EntityMeta; readonly fromKey: string; readonly toKey: string };
  /** The caller's filter on the related rows, normalized. */
  readonly where: Condition;
  /** The related rows' order, ending with `id`. */
  readonly orderBy: readonly SortKey[];
  /** Most related rows per parent (to-many only). */
  readonly limit: number | undefined;
  /** To-many: the value is an array; to-one: a row or null. */
  readonly many: boolean;
  /** The relations to load on the related rows, one level down. */
  readonly children: readonly IncludeNode[];
}
