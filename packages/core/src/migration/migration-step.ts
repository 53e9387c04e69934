import type { EntityMeta, IndexMeta } from '../entity/define-entity.js';
import type { FieldMeta } from '../entity/field.js';
import type { ForeignKeyMeta } from '../relation/relation-meta.js';
import type {
  CollectionValidation,
  ColumnModel,
  ColumnType,
  ForeignKeyModel,
  IndexModel,
} from './schema-model.js';

/**
 * One change the differ proposes, in the order it must run. `destructive` steps can lose data (a dropped
 * table or column, a narrowed type, a new NOT NULL over existing NULLs): `generate` marks them in the file
 * and refuses them without `--allow-destructive`. `reason` is one line for people.
 */
export type MigrationStep =
  | (StepBase<'createTable'> & { readonly entity: EntityMeta })
  | StepBase<'dropTable'>
  | (StepBase<'addColumn'> & { readonly column: string; readonly field: FieldMeta })
  | (StepBase<'dropColumn'> & { readonly column: string; readonly from: ColumnModel })
  | (StepBase<'renameColumn'> & { readonly from: string; readonly column: string })
  | (StepBase<'alterColumn'> & {
      readonly column: string;
      readonly field: FieldMeta;
      readonly from: ColumnModel;
      readonly to: ColumnType;
      /** The stored type changes (not only nullability). */
      readonly typeChanged: boolean;
      /** Nullability changes. */
      readonly nullableChanged: boolean;
    })
  | (StepBase<'createIndex'> & {
      readonly index: IndexMeta;
      readonly indexName: string;
      /** The entity declaring it (MongoDB's partial filters depend on its fields' nullability). */
      readonly entity: EntityMeta;
    })
  | (StepBase<'dropIndex'> & { readonly index: IndexModel })
  | (StepBase<'addForeignKey'> & {
      /** The foreign-key field (column) of the `belongsTo` relation. */
      readonly column: string;
      readonly reference: ForeignKeyMeta;
      /** The constraint's name on this server. */
      readonly constraintName: string;
    })
  | (StepBase<'dropForeignKey'> & { readonly foreignKey: ForeignKeyModel })
  | (StepBase<'setValidator'> & {
      /** The entity whose fields the validator describes. */
      readonly entity: EntityMeta;
      /** The live validation (validator absent when the collection has none). */
      readonly from: CollectionValidation;
      /** The validation the entity calls for. */
      readonly to: CollectionValidation;
    });

interface StepBase<K extends string> {
  readonly kind: K;
  readonly table: string;
  readonly destructive: boolean;
  readonly reason: string;
}

/** The kinds of step, for switches and messages. */
export type MigrationStepKind = MigrationStep['kind'];

/** A drop+add pair of the same type the differ saw: probably a rename; `renamedFrom` on the field settles it. */
export interface RenameSuggestion {
  readonly table: string;
  readonly from: string;
  readonly to: string;
}

/** What `diffSchema` returns: the steps in order and the renames it suspects but did not assume. */
export interface SchemaDiff {
  readonly steps: readonly MigrationStep[];
  readonly renames: readonly RenameSuggestion[];
}
