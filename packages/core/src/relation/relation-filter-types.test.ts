import { describe, expectTypeOf, it } from 'vitest';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import type { ToManyFilter, Where } from '../query/where.js';
import type { Repository } from '../repository/repository.js';
import { defineRelations } from './define-relations.js';
import { belongsTo, hasMany, hasOne, manyToMany } from '../entity/relation-definitions.js';

const AuthorTable = defineEntity('tf_authors', { id: field.id(), name: field.string() });
const Tag = defineEntity('tf_tags', { id: field.id(), label: field.string() });
const PostTable = defineEntity('tf_posts', {
  id: field.id(),
  author: belongsTo(() => AuthorTable, { nullable: true }),
  likes: field.integer(),
});
const Comment = defineEntity('tf_comments', {
  id: field.id(),
  post: belongsTo(() => PostTable),
  body: field.string(),
});
const PostTag = defineEntity('tf_post_tags', {
  id: field.id(),
  post: belongsTo(() => PostTable),
  tag: belongsTo(() => Tag),
});
const Cover = defineEntity('tf_covers', {
  id: field.id(),
  post: belongsTo(() => PostTable, { unique: true }),
});
const Post = defineRelations(PostTable, {
  comments: hasMany(() => Comment, 'post'),
  cover: hasOne(() => Cover, 'post'),
  tags: manyToMany(() => Tag, { through: () => PostTag, from: 'post', to: 'tag' }),
});
const Author = defineRelations(AuthorTable, { posts: hasMany(() => Post, 'author') });
declare const posts: Repository<typeof Post>;
declare const authors: Repository<typeof Author>;

// Type-only checks: the functions are never called, tsc (the typecheck script) judges them.
describe('relation filter types', () => {
  it('a to-one relation takes the related Where, a to-many one some / every / none', () => {
    expectTypeOf<Where<typeof Post>['author']>().toEqualTypeOf<
      (object & Where<typeof AuthorTable>) | undefined
    >();
    expectTypeOf<Where<typeof Post>['cover']>().toEqualTypeOf<(object & Where<typeof Cover>) | undefined>();
    expectTypeOf<Where<typeof Post>['comments']>().toEqualTypeOf<ToManyFilter<typeof Comment> | undefined>();
    expectTypeOf<Where<typeof Post>['tags']>().toEqualTypeOf<ToManyFilter<typeof Tag> | undefined>();
    const accepted = async () => {
      await posts.find({ where: { author: { name: 'Ada' }, likes: { gte: 3 } } });
      await posts.count({ comments: { some: { body: { contains: 'x' } }, none: { body: '' } } });
      await posts.findOne({ or: [{ tags: { every: { label: 'a' } } }, { not: { cover: {} } }] });
      await authors.find({ where: { posts: { some: { comments: { some: { body: 'hi' } } } } } });
      await posts.find({ include: { comments: { where: { post: { likes: 1 } } } } });
    };
    void accepted;
  });

  it('refuses a typo in a relation name and a filter of the wrong type', () => {
    const refused = async () => {
      // @ts-expect-error a typo in a relation name
      await posts.find({ where: { auther: { name: 'Ada' } } });
      // @ts-expect-error a field the related entity lacks
      await posts.find({ where: { author: { nmae: 'Ada' } } });
      // @ts-expect-error a value of the wrong type on the related entity
      await posts.find({ where: { author: { name: 5 } } });
      // @ts-expect-error a to-many relation takes some / every / none, not a row filter
      await posts.find({ where: { comments: { body: 'x' } } });
      // @ts-expect-error an unknown quantifier
      await posts.find({ where: { comments: { any: { body: 'x' } } } });
      // @ts-expect-error a wrong type one level down
      await authors.find({ where: { posts: { some: { comments: { some: { body: 1 } } } } } });
      // @ts-expect-error a to-one relation is not a value
      await posts.find({ where: { author: 'Ada' } });
    };
    void refused;
  });
});
