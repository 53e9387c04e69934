import type { EntityMeta } from '@berth/core';
import type { SqlDialect } from '../dialect/sql-dialect.js';

/** Shapes kept per dialect and entity; past it the oldest is dropped (a bound for generated filters). */
export const SHAPES_PER_ENTITY = 256;

/** A bounded map from shape key to statement text: `set` drops the oldest entry when full. */
export class ShapeTexts {
  readonly #texts = new Map<string, string>();

  get(key: string): string | undefined {
    return this.#texts.get(key);
  }

  set(key: string, sql: string): void {
    if (this.#texts.size >= SHAPES_PER_ENTITY) this.#texts.delete(this.#texts.keys().next().value!);
    this.#texts.set(key, sql);
  }

  get size(): number {
    return this.#texts.size;
  }
}

/**
 * A cache of statement texts per dialect and per entity object (never by name: two definitions of one
 * table never share text); entries go with their entity or dialect.
 */
export function shapeCache(): (dialect: SqlDialect, entity: EntityMeta) => ShapeTexts {
  const cache = new WeakMap<SqlDialect, WeakMap<EntityMeta, ShapeTexts>>();
  return (dialect, entity) => {
    let byEntity = cache.get(dialect);
    if (!byEntity) {
      byEntity = new WeakMap();
      cache.set(dialect, byEntity);
    }
    let texts = byEntity.get(entity);
    if (!texts) {
      texts = new ShapeTexts();
      byEntity.set(entity, texts);
    }
    return texts;
  };
}

/** The same values, one by one (`Object.is`): what a cached text is checked against before it is kept. */
export function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
  return true;
}

/** One bound value equal to another: the same value, or two arrays (a list bound as one) of the same values. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
