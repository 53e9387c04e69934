import type { Entity, EntityMeta, RowOf } from '../entity/define-entity.js';
import { ValidationError } from '../errors/validation-error.js';

/** A projection: the fields to read, each set to `true` (`{ id: true, name: true }`). */
export type Select<E extends Entity> = { readonly [K in keyof E['__fields'] & string]?: true };

/** `S` with every key that is not a field of `E` turned into `never`, so an unknown field does not compile. */
export type ExactSelect<E extends Entity, S> = S & {
  readonly [K in Exclude<keyof S, keyof E['__fields']>]: never;
};

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The row type a read returns: the whole row without a projection, else only the selected fields. */
export type Selected<E extends Entity, S> = [S] extends [undefined]
  ? RowOf<E>
  : Simplify<Pick<RowOf<E>, Extract<keyof S, keyof RowOf<E>>>>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Checks a projection against the entity: a non-empty object whose keys are declared fields, each `true`.
 * Returns the selected field names in the entity's field order, or undefined for "every field".
 */
export function parseSelect(entity: EntityMeta, select: unknown): string[] | undefined {
  if (select === undefined) return undefined;
  if (!isPlainObject(select)) {
    throw new ValidationError('select takes an object of field names set to true', [
      { field: 'select', message: 'invalid select' },
    ]);
  }
  const keys = Object.keys(select);
  if (keys.length === 0) {
    throw new ValidationError('select names no field', [{ field: 'select', message: 'empty select' }]);
  }
  for (const key of keys) {
    if (!Object.hasOwn(entity.fields, key)) {
      throw new ValidationError(`unknown field "${key}" in select`, [
        { field: key, message: 'unknown field' },
      ]);
    }
    if (select[key] !== true) {
      throw new ValidationError(`select.${key} must be true`, [{ field: key, message: 'must be true' }]);
    }
  }
  return entity.fieldNames.filter((name) => Object.hasOwn(select, name));
}
