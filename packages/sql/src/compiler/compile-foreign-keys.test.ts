import { ForeignKeyViolationError, belongsTo, defineEntity, field } from '@berth/core';
import { describe, expect, it } from 'vitest';
import { mysqlDialect } from '../dialect/mysql-dialect.js';
import { postgresDialect } from '../dialect/postgres-dialect.js';
import { mapMysqlError } from '../errors/map-mysql-error.js';
import { mapPostgresError } from '../errors/map-postgres-error.js';
import { compileAddForeignKeys, compileListForeignKeys, hasForeignKeys } from './compile-foreign-keys.js';

const Author = defineEntity('authors', { id: field.id() });
const Post = defineEntity('posts', {
  id: field.id(),
  author: belongsTo(() => Author, { onDelete: 'cascade' }),
  editor: belongsTo(() => Author, { nullable: true, onDelete: 'setNull' }),
  reviewer: belongsTo(() => Author, { nullable: true, onDelete: 'noAction' }),
  owner: belongsTo(() => Author),
});

describe('compileAddForeignKeys', () => {
  it('adds one named constraint per belongsTo, with its ON DELETE action, skipping existing ones', () => {
    expect(hasForeignKeys(Post)).toBe(true);
    expect(hasForeignKeys(Author)).toBe(false);
    const statements = compileAddForeignKeys(postgresDialect, Post, ['POSTS_EDITORID_FKEY']);
    expect(statements.map((s) => s.sql)).toEqual([
      'ALTER TABLE "posts" ADD CONSTRAINT "posts_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "authors" ("id") ON DELETE CASCADE',
      'ALTER TABLE "posts" ADD CONSTRAINT "posts_reviewerId_fkey" FOREIGN KEY ("reviewerId") REFERENCES "authors" ("id") ON DELETE NO ACTION',
      'ALTER TABLE "posts" ADD CONSTRAINT "posts_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "authors" ("id") ON DELETE RESTRICT',
    ]);
    expect(compileAddForeignKeys(mysqlDialect, Post)[1]!.sql).toBe(
      'ALTER TABLE `posts` ADD CONSTRAINT `posts_editorId_fkey` FOREIGN KEY (`editorId`) REFERENCES `authors` (`id`) ON DELETE SET NULL',
    );
    expect(compileListForeignKeys(mysqlDialect, Post).params).toEqual(['posts']);
  });
});

describe('foreign-key violations', () => {
  it('PostgreSQL 23503 and 23001 name the relation', () => {
    const cause = Object.assign(new Error('fk'), { code: '23503', constraint: 'posts_authorId_fkey' });
    const error = mapPostgresError(cause, [Post]);
    expect(error).toBeInstanceOf(ForeignKeyViolationError);
    expect(error).toMatchObject({ entity: 'posts', relation: 'author', constraint: 'posts_authorId_fkey' });
    const restrict = mapPostgresError(Object.assign(new Error('r'), { code: '23001' }), [Post]);
    expect(restrict).toMatchObject({ entity: undefined, relation: undefined, constraint: undefined });
    expect(restrict).toBeInstanceOf(ForeignKeyViolationError);
  });

  it('MySQL 1451 and 1452 name the relation from the message', () => {
    const sqlMessage =
      'Cannot add or update a child row: a foreign key constraint fails (`db`.`posts`, CONSTRAINT `posts_ownerId_fkey` FOREIGN KEY (`ownerId`) REFERENCES `authors` (`id`))';
    const error = mapMysqlError(Object.assign(new Error(sqlMessage), { errno: 1452, sqlMessage }), [Post]);
    expect(error).toMatchObject({ entity: 'posts', relation: 'owner', code: 'FOREIGN_KEY_VIOLATION' });
    const parent = mapMysqlError(Object.assign(new Error('x'), { errno: 1451, sqlMessage: 'x' }), [Post]);
    expect(parent).toBeInstanceOf(ForeignKeyViolationError);
  });
});
