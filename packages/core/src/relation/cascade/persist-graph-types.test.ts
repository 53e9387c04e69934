import { describe, expectTypeOf, it } from 'vitest';
import { defineEntity } from '../../entity/define-entity.js';
import { field } from '../../entity/field.js';
import type { UnitOfWork } from '../../unit-of-work/unit-of-work.js';
import { defineRelations } from '../define-relations.js';
import { belongsTo, hasMany, hasOne } from '../../entity/relation-definitions.js';
import type { PersistGraph, PersistRelationName } from './persist-graph-types.js';

const Category = defineEntity('c_categories', { id: field.id(), label: field.string() });
const AuthorTable = defineEntity('c_authors', { id: field.id(), name: field.string() });
const PostTable = defineEntity('c_posts', {
  id: field.id(),
  author: belongsTo(() => AuthorTable, { onDelete: 'cascade' }),
  category: belongsTo(() => Category, { cascade: ['persist'] }),
  title: field.string(),
});
const Comment = defineEntity('c_comments', {
  id: field.id(),
  post: belongsTo(() => PostTable),
  body: field.string(),
});
const Profile = defineEntity('c_profiles', {
  id: field.id(),
  author: belongsTo(() => AuthorTable, { unique: true }),
  bio: field.string(),
});
const Post = defineRelations(PostTable, {
  comments: hasMany(() => Comment, 'post', { cascade: ['persist', 'remove'] }),
  likes: hasMany(() => Comment, 'post'),
});
const Author = defineRelations(AuthorTable, {
  posts: hasMany(() => Post, 'author', { cascade: ['persist', 'remove'] }),
  profile: hasOne(() => Profile, 'author', { cascade: ['persist'] }),
  drafts: hasMany(() => Post, 'author', { cascade: ['remove'] }),
});

describe('cascade persist types', () => {
  it('names the relations declaring persist, and only those', () => {
    expectTypeOf<PersistRelationName<typeof Author>>().toEqualTypeOf<'posts' | 'profile'>();
    expectTypeOf<PersistRelationName<typeof Post>>().toEqualTypeOf<'category' | 'comments'>();
    expectTypeOf<PersistRelationName<typeof Comment>>().toBeNever();
  });

  it('takes children as arrays / objects without their foreign key, to any depth', () => {
    const persist = (() => undefined) as unknown as UnitOfWork['persist'];
    expectTypeOf(persist(Author, { name: 'Ada' })).toEqualTypeOf<{ id: string; name: string }>();
    persist(Author, {
      name: 'Ada',
      profile: { bio: 'math' },
      posts: [{ title: 'notes', category: { label: 'math' }, comments: [{ body: 'first' }] }],
    });
    // The category's foreign key is filled in from the nested object, or given as usual.
    persist(Post, { authorId: 'a', title: 't', categoryId: 'c' });
    persist(Post, { authorId: 'a', title: 't', category: { label: 'x' } });
    // @ts-expect-error a child's foreign key to its parent is filled in, not given
    persist(Author, { name: 'Ada', posts: [{ title: 'x', authorId: 'b', categoryId: 'c' }] });
    // @ts-expect-error drafts cascades remove only: persist does not take it
    persist(Author, { name: 'Ada', drafts: [] });
    // @ts-expect-error likes declares no cascade
    persist(Post, { authorId: 'a', title: 't', categoryId: 'c', likes: [{ body: 'x' }] });
    // @ts-expect-error author (belongsTo without cascade) is not taken as an object
    persist(Post, { title: 't', categoryId: 'c', author: { name: 'x' } });
    // @ts-expect-error a nested row is checked like any insert
    persist(Author, { name: 'Ada', profile: { bio: 1 } });
    // @ts-expect-error to-many takes an array
    persist(Author, { name: 'Ada', posts: { title: 'x', categoryId: 'c' } });
  });

  it('is the plain insert data for an entity without cascades', () => {
    expectTypeOf<PersistGraph<typeof Comment>>().toEqualTypeOf<{ postId: string; body: string }>();
  });
});
