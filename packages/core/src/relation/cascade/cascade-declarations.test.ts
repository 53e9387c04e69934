import { describe, expect, it } from 'vitest';
import { defineEntity } from '../../entity/define-entity.js';
import { field } from '../../entity/field.js';
import { ValidationError } from '../../errors/validation-error.js';
import { defineRelations } from '../define-relations.js';
import { belongsTo, hasMany, hasOne, manyToMany } from '../../entity/relation-definitions.js';
import { planPersist } from './plan-persist.js';

const Author = defineEntity('k_authors', { id: field.id(), name: field.string() });
const Post = defineEntity('k_posts', {
  id: field.id(),
  author: belongsTo(() => Author, { cascade: ['persist'] }),
  title: field.string(),
});

describe('cascade declarations', () => {
  it('are recorded on the relation metadata, none by default', () => {
    const Authors = defineRelations(defineEntity('k_a2', { id: field.id() }), {
      posts: hasMany(() => Post, 'author', { cascade: ['remove', 'persist', 'remove'] }),
      latest: hasOne(() => Post, 'author'),
    });
    expect(Authors.relations!.posts!.cascade).toEqual(['remove', 'persist']);
    expect(Authors.relations!.latest!.cascade).toEqual([]);
    expect(Post.relations!.author!.cascade).toEqual(['persist']);
  });

  it('are refused where the relation cannot pass them on', () => {
    expect(() =>
      defineEntity('k_bad', {
        id: field.id(),
        author: belongsTo(() => Author, { cascade: ['remove' as 'persist'] }),
      }),
    ).toThrow(/takes cascade 'persist' only/);
    expect(() =>
      defineRelations(defineEntity('k_bad2', { id: field.id() }), {
        posts: hasMany(() => Post, 'author', { cascade: ['delete' as 'remove'] }),
      }),
    ).toThrow(ValidationError);
    expect(() =>
      defineRelations(defineEntity('k_bad3', { id: field.id() }), {
        tags: manyToMany(() => Post, {
          through: () => Post,
          from: 'author',
          to: 'author',
          cascade: ['persist'],
        } as never),
      }),
    ).toThrow(/cascade through the join entity/);
  });

  it('planPersist builds the target before the row that references it, and fills the key in', () => {
    const now = new Date();
    const { root, rows } = planPersist(Post, { title: 't', author: { name: 'Ada' } }, now);
    expect(rows.map((r) => r.entity.name)).toEqual(['k_authors', 'k_posts']);
    expect(root.authorId).toBe(rows[0]!.row.id);
    expect(() => planPersist(Post, { title: 't', author: { name: 'Ada' }, authorId: 'x' }, now)).toThrow(
      /give author or authorId, not both/,
    );
    expect(() => planPersist(Post, { title: 't', author: { name: 1 } }, now)).toThrow(ValidationError);
  });
});
