import type { Entity, RowOf } from '../entity/define-entity.js';
import type { Where } from '../query/where.js';
import { type Repository, namesNothing } from '../repository/repository.js';

/**
 * The rows of `ids` in one `find` (`id IN (...)`), through the repository so replica routing and the
 * ambient transaction apply as to any read. Ids no row can have (too long, a NUL) are not sent.
 */
export async function readByIds<E extends Entity>(
  repository: Repository<E>,
  ids: readonly (string | number)[],
): Promise<readonly RowOf<E>[]> {
  const sendable = ids.filter((id) => !namesNothing(repository.entity, id));
  if (sendable.length === 0) return [];
  const where = { id: sendable.length === 1 ? sendable[0] : { in: sendable } } as unknown as Where<E>;
  const page = await repository.find({ where, limit: sendable.length });
  return page.items as readonly RowOf<E>[];
}
