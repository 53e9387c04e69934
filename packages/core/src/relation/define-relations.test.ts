import { describe, expect, it } from 'vitest';
import { defineEntity } from '../entity/define-entity.js';
import { field } from '../entity/field.js';
import { ValidationError } from '../errors/validation-error.js';
import { defineRelations } from './define-relations.js';
import { planInclude } from './loader/plan-include.js';
import { belongsTo, hasMany, hasOne } from '../entity/relation-definitions.js';

const Author = defineEntity('r_authors', { id: field.id(), name: field.string() });
const Post = defineEntity('r_posts', {
  id: field.id(),
  author: belongsTo(() => Author, { onDelete: 'cascade' }),
  editor: belongsTo(() => Author, { nullable: true, onDelete: 'setNull', unique: true }),
  title: field.string(),
});
const Authors = defineRelations(Author, {
  posts: hasMany(() => Post, 'author'),
  edited: hasOne(() => Post, 'editor'),
});

describe('relations in defineEntity', () => {
  it('stores a belongsTo as an indexed <name>Id field referencing the target', () => {
    expect(Post.fieldNames).toEqual(['id', 'authorId', 'editorId', 'title']);
    expect(Post.fields.authorId).toMatchObject({ kind: 'string', nullable: false, max: 36 });
    expect(Post.fields.authorId!.references).toMatchObject({
      relation: 'author',
      onDelete: 'cascade',
      name: 'r_posts_authorId_fkey',
    });
    expect(Post.fields.authorId!.references!.target()).toBe(Author);
    expect(Post.fields.editorId).toMatchObject({ nullable: true, unique: true });
    expect(Post.indexes).toEqual([
      { name: 'r_posts_authorId_idx', fields: ['authorId'], unique: false },
      { name: 'r_posts_editorId_key', fields: ['editorId'], unique: true },
    ]);
    expect(Post.relations).toMatchObject({
      author: { kind: 'belongsTo', foreignKey: 'authorId', nullable: false, onDelete: 'cascade' },
    });
  });

  it('defineRelations adds the inverse sides to the same entity', () => {
    expect(Authors).toBe(Author);
    expect(Author.relations).toMatchObject({
      posts: { kind: 'hasMany', inverse: 'author' },
      edited: { kind: 'hasOne', inverse: 'editor' },
    });
  });

  it('refuses malformed relations at definition time', () => {
    const Target = defineEntity('r_targets', { id: field.id() });
    expect(() =>
      defineEntity('r_bad', { id: field.id(), t: belongsTo(() => Target, { onDelete: 'setNull' }) }),
    ).toThrow(ValidationError);
    expect(() =>
      defineEntity('r_bad', { id: field.id(), t: belongsTo(() => Target), tId: field.string() }),
    ).toThrow(/collides/);
    expect(() =>
      defineEntity('r_bad', { id: field.id(), t: belongsTo(() => Target, { onDelete: 'explode' as never }) }),
    ).toThrow(/onDelete/);
    expect(() => defineRelations(Target, { t: belongsTo(() => Author) as never })).toThrow(/defineEntity/);
    expect(() => defineRelations(Author, { name: hasMany(() => Post, 'author') })).toThrow(/already/);
  });
});

describe('planInclude', () => {
  it('plans one node per relation per level, with the keys each is found by', () => {
    const [posts] = planInclude(Author, { posts: { include: { editor: true }, limit: 2 } });
    expect(posts).toMatchObject({
      name: 'posts',
      parentKey: 'id',
      targetKey: 'authorId',
      many: true,
      limit: 2,
    });
    expect(posts!.children[0]).toMatchObject({
      name: 'editor',
      parentKey: 'editorId',
      targetKey: 'id',
      many: false,
    });
  });

  it('refuses unknown relations and options, options on to-one relations, and bad inverse names', () => {
    expect(() => planInclude(Author, { post: true })).toThrow(/no relation "post"/);
    expect(() => planInclude(Author, { posts: { include: { auther: true } } })).toThrow(
      /posts\.include\.auther/,
    );
    expect(() => planInclude(Author, { posts: { take: 1 } })).toThrow(/unknown option/);
    expect(() => planInclude(Author, { posts: { where: { nope: 1 } } })).toThrow(ValidationError);
    expect(() => planInclude(Author, { posts: { limit: 0 } })).toThrow(ValidationError);
    expect(() => planInclude(Post, { author: { limit: 1 } })).toThrow(/to-many/);
    expect(() => planInclude(Author, { posts: 'yes' })).toThrow(ValidationError);
    expect(() => planInclude(Author, [])).toThrow(ValidationError);
    const Lost = defineRelations(defineEntity('r_lost', { id: field.id() }), {
      posts: hasMany(() => Post, 'author'),
    });
    expect(() => planInclude(Lost, { posts: true })).toThrow(/points at r_authors/);
    const deep: Record<string, unknown> = {};
    let level = deep;
    for (let i = 0; i < 9; i++) {
      const next: Record<string, unknown> = {};
      level.posts = { include: { author: { include: next } } };
      level = next;
    }
    expect(() => planInclude(Author, deep)).toThrow(/deeper/);
  });
});
