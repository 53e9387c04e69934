import { Field, type FieldKind } from './field.js';
import { ValidationError } from '../errors/validation-error.js';
import { BelongsTo, HasMany, HasOne, ManyToMany } from './relation-definitions.js';
import type { RelationMeta } from './entity-meta.js';
import { CASCADE_KINDS, type CascadeKind } from './cascade-kind.js';

/** The longest id a foreign key holds: berth's ids are 36-character UUIDs (see `field.id`). */
const REFERENCE_MAX = 36;

/** True for a relation declaration in an entity's field map. */
export function isRelation(value: unknown): value is BelongsTo | HasMany | HasOne | ManyToMany {
  return (
    value instanceof BelongsTo ||
    value instanceof HasMany ||
    value instanceof HasOne ||
    value instanceof ManyToMany
  );
}

/** The declared cascades, checked: known kinds, and only those the relation's kind can pass on. */
function cascadeOf(entityName: string, name: string, value: BelongsTo | HasMany | HasOne): CascadeKind[] {
  const declared: unknown = value.options?.cascade ?? [];
  const allowed: readonly CascadeKind[] = value instanceof BelongsTo ? ['persist'] : CASCADE_KINDS;
  if (!Array.isArray(declared) || declared.some((kind) => !allowed.includes(kind as CascadeKind)))
    throw new ValidationError(
      `entity "${entityName}": relation "${name}" takes cascade ${allowed.map((k) => `'${k}'`).join(' and ')} only`,
    );
  return [...new Set(declared as CascadeKind[])];
}

/**
 * Splits `defineEntity`'s field map into stored fields and relations. A `belongsTo` becomes a relation plus
 * a foreign-key field `<name>Id` (an indexed string holding the target's id) placed where it was declared.
 * Throws `ValidationError` for a malformed relation.
 */
export function splitRelations(
  entityName: string,
  shape: Record<string, unknown>,
): { fields: Record<string, Field<unknown, boolean, FieldKind>>; relations: Record<string, RelationMeta> } {
  // Without a prototype, a key such as `__proto__` stays an own key, for defineEntity to refuse by name.
  const fields: Record<string, Field<unknown, boolean, FieldKind>> = Object.create(null);
  const relations: Record<string, RelationMeta> = {};
  for (const [name, value] of Object.entries(shape)) {
    if (!isRelation(value)) {
      fields[name] = value as Field<unknown, boolean, FieldKind>;
      continue;
    }
    if (!/^[A-Za-z][A-Za-z0-9_]{0,59}$/.test(name) || name === 'and' || name === 'or' || name === 'not')
      throw new ValidationError(`entity "${entityName}": invalid relation name "${name}"`);
    if (typeof value.target !== 'function')
      throw new ValidationError(`entity "${entityName}": relation "${name}" needs a thunk, () => Entity`);
    if (value instanceof BelongsTo) {
      const { onDelete = 'restrict', nullable = false, unique = false } = value.options;
      if (!['cascade', 'restrict', 'setNull', 'noAction'].includes(onDelete))
        throw new ValidationError(`entity "${entityName}": relation "${name}" has an unknown onDelete`);
      if (onDelete === 'setNull' && !nullable)
        throw new ValidationError(
          `entity "${entityName}": relation "${name}" uses onDelete 'setNull' but is not nullable`,
        );
      const foreignKey = `${name}Id`;
      if (Object.hasOwn(shape, foreignKey))
        throw new ValidationError(
          `entity "${entityName}": field "${foreignKey}" collides with relation "${name}"'s foreign key`,
        );
      fields[foreignKey] = new Field({
        kind: 'string',
        nullable,
        unique,
        indexed: !unique,
        hasDefault: false,
        min: 0,
        max: REFERENCE_MAX,
        references: {
          relation: name,
          target: value.target,
          onDelete,
          name: `${entityName}_${foreignKey}_fkey`,
        },
      });
      const cascade = cascadeOf(entityName, name, value);
      relations[name] = { kind: 'belongsTo', target: value.target, foreignKey, nullable, onDelete, cascade };
    } else if (value instanceof ManyToMany) {
      const { through, from, to } = value.options;
      if ((value.options as { cascade?: unknown }).cascade !== undefined)
        throw new ValidationError(
          `entity "${entityName}": relation "${name}" cannot cascade; cascade through the join entity's relations`,
        );
      if (typeof through !== 'function' || typeof from !== 'string' || typeof to !== 'string')
        throw new ValidationError(
          `entity "${entityName}": relation "${name}" needs { through: () => Join, from, to }`,
        );
      relations[name] = { kind: 'manyToMany', target: value.target, through, from, to };
    } else {
      if (typeof value.inverse !== 'string')
        throw new ValidationError(
          `entity "${entityName}": relation "${name}" names no inverse belongsTo relation`,
        );
      relations[name] = {
        kind: value.relationKind,
        target: value.target,
        inverse: value.inverse,
        cascade: cascadeOf(entityName, name, value),
      };
    }
  }
  return { fields, relations };
}
