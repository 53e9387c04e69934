import type { EntityMeta, FindCommand } from '@berth/core';
import { encodeValue } from '../codec/row-codec.js';
import type { SqlDialect } from '../dialect/sql-dialect.js';

/**
 * The plain read by id (`Repository.findById` without `select`, lock or include): every field,
 * `WHERE id = ?`, ordered by id, `LIMIT 1`. Recognized by a few field tests, with no shape key built: it is
 * the most frequent statement of all, and building and hashing a key string per call was its largest
 * compile cost. Anything else (a projection, a lock, another order or limit) is not this read.
 */
export function isPlainReadById(command: FindCommand): boolean {
  const { where, orderBy } = command;
  if (where.type !== 'compare' || where.field !== 'id' || where.op !== 'eq') return false;
  if (command.limit !== 1 || orderBy.length !== 1) return false;
  const order = orderBy[0]!;
  return (
    order.field === 'id' &&
    order.direction === 'asc' &&
    command.select === undefined &&
    command.lock === undefined &&
    command.forUpdate !== true &&
    command.perGroup === undefined &&
    command.through === undefined
  );
}

/**
 * The one value a plain read by id binds, encoded as `compileFind` binds it; undefined when the entity
 * declares no `id` field of its own (the compiler refuses that read: it must see it).
 */
export function byIdValue(dialect: SqlDialect, command: FindCommand): unknown[] | undefined {
  const { entity, where } = command;
  if (!Object.hasOwn(entity.fields, 'id') || where.type !== 'compare') return undefined;
  return [encodeValue(dialect, entity.fields.id!, where.value)];
}

/**
 * Statement texts of plain reads by id, per dialect and entity object. The last dialect's map is kept at
 * hand: a process almost always talks one dialect, so a lookup is one WeakMap `get`.
 */
export class ByIdTexts {
  readonly #byDialect = new WeakMap<SqlDialect, WeakMap<EntityMeta, string>>();
  #lastDialect: SqlDialect | undefined;
  #lastTexts: WeakMap<EntityMeta, string> | undefined;

  #texts(dialect: SqlDialect): WeakMap<EntityMeta, string> {
    if (dialect === this.#lastDialect) return this.#lastTexts!;
    let texts = this.#byDialect.get(dialect);
    if (!texts) {
      texts = new WeakMap();
      this.#byDialect.set(dialect, texts);
    }
    this.#lastDialect = dialect;
    this.#lastTexts = texts;
    return texts;
  }

  get(dialect: SqlDialect, entity: EntityMeta): string | undefined {
    return this.#texts(dialect).get(entity);
  }

  set(dialect: SqlDialect, entity: EntityMeta, sql: string): void {
    this.#texts(dialect).set(entity, sql);
  }
}
