import type { EntityMeta, IndexMeta } from '../entity/define-entity.js';
import type { FieldMeta } from '../entity/field.js';
import type { ForeignKeyMeta } from '../entity/entity-meta.js';
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
  | (StepBase<'createTable'> & {
      /** The entity whose table is created, with its fields and indexes. */
      readonly entity: EntityMeta;
    })
  | StepBase<'dropTable'>
  | (StepBase<'addColumn'> & {
      /** The column added. */
      readonly column: string;
      /** The entity's field it stores. */
      readonly field: FieldMeta;
    })
  | (StepBase<'dropColumn'> & {
      /** The column dropped. */
      readonly column: string;
      /** The column as it is in the database now. */
      readonly from: ColumnModel;
    })
  | (StepBase<'renameColumn'> & {
      /** The column's name now. */
      readonly from: string;
      /** Its new name, the field's. */
      readonly column: string;
    })
  | (StepBase<'alterColumn'> & {
      /** The column changed. */
      readonly column: string;
      /** The entity's field, as it is declared now. */
      readonly field: FieldMeta;
      /** The column as it is in the database now. */
      readonly from: ColumnModel;
      /** The type it gets. */
      readonly to: ColumnType;
      /** The stored type changes (not only nullability). */
      readonly typeChanged: boolean;
      /** Nullability changes. */
      readonly nullableChanged: boolean;
    })
  | (StepBase<'createIndex'> & {
      /** The index as the entity declares it. */
      readonly index: IndexMeta;
      /** Its name in the database. */
      readonly indexName: string;
      /** The entity declaring it (MongoDB's partial filters depend on its fields' nullability). */
      readonly entity: EntityMeta;
    })
  | (StepBase<'dropIndex'> & {
      /** The index as it is in the database now. */
      readonly index: IndexModel;
    })
  | (StepBase<'addForeignKey'> & {
      /** The foreign-key field (column) of the `belongsTo` relation. */
      readonly column: string;
      /** What the column references and what happens on delete. */
      readonly reference: ForeignKeyMeta;
      /** The constraint's name on this server. */
      readonly constraintName: string;
    })
  | (StepBase<'dropForeignKey'> & {
      /** The constraint as it is in the database now. */
      readonly foreignKey: ForeignKeyModel;
    })
  | (StepBase<'setValidator'> & {
      /** The entity whose fields the validator describes. */
      readonly entity: EntityMeta;
      /** The live validation (validator absent when the collection has none). */
      readonly from: CollectionValidation;
      /** The validation the entity calls for. */
      readonly to: CollectionValidation;
    });

interface StepBase<K extends string> {
  /** What the step does. */
  readonly kind: K;
  /** The table (or collection) it changes. */
  readonly table: string;
  /** Whether it can lose data; `generate` refuses it without `--allow-destructive`. */
  readonly destructive: boolean;
  /** One line for people: why the differ proposes it. */
  readonly reason: string;
}

/** The kinds of step, for switches and messages. */
export type MigrationStepKind = MigrationStep['kind'];

/** A drop+add pair of the same type the differ saw: probably a rename; `renamedFrom` on the field settles it. */
export interface RenameSuggestion {
  /** The table of both columns. */
  readonly table: string;
  /** The column dropped: the name now. */
  readonly from: string;
  /** The column added: the name the entity declares. */
  readonly to: string;
}

/** What `diffSchema` returns: the steps in order and the renames it suspects but did not assume. */
export interface SchemaDiff {
  /** The changes, in the order they must run. */
  readonly steps: readonly MigrationStep[];
  /** Drop+add pairs that may be renames, not assumed (see `RenameSuggestion`). */
  readonly renames: readonly RenameSuggestion[];
}
