import { describe, expect, it } from 'vitest';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { UnsupportedError } from '../errors/unsupported-error.js';
import type { Condition } from '../query/condition.js';
import { normalizeWhere } from '../query/normalize-where.js';
import { belongsTo } from '../entity/relation-definitions.js';
import { type ReadKeys, resolveExists } from './resolve-exists.js';

const Author = defineEntity('re_authors', { id: field.id(), name: field.string() });
const Post = defineEntity('re_posts', {
  id: field.id(),
  author: belongsTo(() => Author, { nullable: true }),
  title: field.string(),
});

/** Keys answered from a table of rows per entity: the pure part of the resolution, no backend. */
function keysFrom(rows: Record<string, Record<string, string>[]>, reads: Condition[]): ReadKeys {
  return async (entity, key, where, limit) => {
    reads.push(where);
    const matching = (rows[entity.name] ?? []).filter(
      (row) => where.type !== 'compare' || row[where.field] === where.value,
    );
    return matching.slice(0, limit).map((row) => row[key]!);
  };
}

describe('resolveExists', () => {
  const rows = {
    re_authors: [
      { id: 'a1', name: 'Ada' },
      { id: 'a2', name: 'Ada' },
      { id: 'g', name: 'Grace' },
    ],
  };

  it('turns a relation filter into an in on the keys its inner filter matches, null-guarded', async () => {
    const reads: Condition[] = [];
    const where = normalizeWhere(Post, { title: 't', author: { name: 'Ada' } });
    expect(await resolveExists(Post, where, keysFrom(rows, reads))).toEqual({
      type: 'and',
      conditions: [
        { type: 'compare', field: 'title', op: 'eq', value: 't' },
        { type: 'null', field: 'authorId', isNull: false },
        { type: 'in', field: 'authorId', values: ['a1', 'a2'], negated: false },
      ],
    });
    expect(reads).toEqual([{ type: 'compare', field: 'name', op: 'eq', value: 'Ada' }]);
  });

  it('folds a filter matching no related row to false, and leaves plain filters alone', async () => {
    const none = normalizeWhere(Post, { not: { author: { name: 'Nobody' } } });
    expect(await resolveExists(Post, none, keysFrom(rows, []))).toEqual({ type: 'literal', value: true });
    const plain = normalizeWhere(Post, { title: 'x' });
    expect(await resolveExists(Post, plain, keysFrom(rows, []))).toBe(plain);
  });

  it('refuses, with UnsupportedError, a relation filter matching more rows than the bound', async () => {
    const where = normalizeWhere(Post, { author: { name: 'Ada' } });
    await expect(resolveExists(Post, where, keysFrom(rows, []), 1)).rejects.toBeInstanceOf(UnsupportedError);
    expect(await resolveExists(Post, where, keysFrom(rows, []), 2)).toMatchObject({ type: 'and' });
  });
});
