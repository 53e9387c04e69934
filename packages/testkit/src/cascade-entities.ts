import { type Entity, belongsTo, defineEntity, defineRelations, field, hasMany, hasOne } from '@berth/core';

/**
 * The cascade cases: authors with one profile and posts, posts with comments (all cascading persist and
 * remove), a category persisted through a post (`belongsTo` cascading persist), and likes on posts that
 * cascade nothing. Every foreign key restricts deletes, so the unit of work, not the database, removes the
 * children, and a like left behind stops a cascade on SQL backends.
 */
const AuthorTable = defineEntity('conformance_cas_authors', {
  id: field.id(),
  name: field.string({ max: 50 }),
});

export const CasCategory = defineEntity('conformance_cas_categories', {
  id: field.id(),
  label: field.string({ max: 50 }),
});

const PostTable = defineEntity('conformance_cas_posts', {
  id: field.id(),
  author: belongsTo(() => AuthorTable, { onDelete: 'restrict' }),
  category: belongsTo(() => CasCategory, { nullable: true, onDelete: 'setNull', cascade: ['persist'] }),
  title: field.string({ max: 50 }),
});

export const CasComment = defineEntity('conformance_cas_comments', {
  id: field.id(),
  post: belongsTo(() => PostTable, { onDelete: 'restrict' }),
  body: field.string({ max: 50 }),
});

export const CasLike = defineEntity('conformance_cas_likes', {
  id: field.id(),
  post: belongsTo(() => PostTable, { onDelete: 'restrict' }),
  by: field.string({ max: 50 }),
});

export const CasProfile = defineEntity('conformance_cas_profiles', {
  id: field.id(),
  author: belongsTo(() => AuthorTable, { onDelete: 'restrict', unique: true }),
  bio: field.string({ max: 50 }),
});

export const CasPost = defineRelations(PostTable, {
  comments: hasMany(() => CasComment, 'post', { cascade: ['persist', 'remove'] }),
  likes: hasMany(() => CasLike, 'post'),
});

export const CasAuthor = defineRelations(AuthorTable, {
  posts: hasMany(() => CasPost, 'author', { cascade: ['persist', 'remove'] }),
  profile: hasOne(() => CasProfile, 'author', { cascade: ['persist', 'remove'] }),
});

/**
 * Employees whose manager is an employee too, deleting their reports with them: the database's own
 * self-referencing `onDelete: 'cascade'` (the thunk's return type is declared, as the entity refers to itself).
 */
export const CasEmployee = defineEntity('conformance_cas_employees', {
  id: field.id(),
  manager: belongsTo((): Entity => CasEmployee, { nullable: true, onDelete: 'cascade' }),
  name: field.string({ max: 50 }),
});

/** As `CasEmployee`, but deleting a manager clears its reports' key (`onDelete: 'setNull'`). */
export const CasMember = defineEntity('conformance_cas_members', {
  id: field.id(),
  manager: belongsTo((): Entity => CasMember, { nullable: true, onDelete: 'setNull' }),
  name: field.string({ max: 50 }),
});

/** Every cascade entity, children first: the order they are cleared in. */
export const cascadeEntities = [
  CasLike,
  CasComment,
  CasProfile,
  CasPost,
  CasCategory,
  CasAuthor,
  CasEmployee,
  CasMember,
] as const;
