import type { Field, FieldKind } from './field.js';
import type { BelongsTo, RelationDefinition } from './relation-definitions.js';

/** What `defineEntity` takes: fields and relation declarations, by name. */
export type EntityShape = Record<string, Field<unknown, boolean, FieldKind> | RelationDefinition>;

/** The relation declarations of an entity, by name. */
export type RelationMap = Record<string, RelationDefinition>;

type ForeignKeyField<R> = R extends BelongsTo
  ? [R['__nullable']] extends [true]
    ? Field<string | null, true, 'string'>
    : Field<string, false, 'string'>
  : never;

/**
 * The stored fields of a shape: its fields as declared, plus `<name>Id` for each `belongsTo` relation
 * (relations stored nowhere contribute nothing).
 */
export type FieldsOf<S extends EntityShape> = {
  [K in keyof S as S[K] extends Field<unknown, boolean, FieldKind>
    ? K
    : S[K] extends BelongsTo
      ? `${K & string}Id`
      : never]: S[K] extends Field<unknown, boolean, FieldKind> ? S[K] : ForeignKeyField<S[K]>;
};

/** The relation declarations of a shape. */
export type RelationsOf<S extends EntityShape> = {
  [K in keyof S as S[K] extends RelationDefinition ? K : never]: Extract<S[K], RelationDefinition>;
};
