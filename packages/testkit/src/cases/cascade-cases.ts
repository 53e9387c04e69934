import { type Database, ForeignKeyViolationError, ValidationError } from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CasAuthor,
  CasCategory,
  CasComment,
  CasEmployee,
  CasLike,
  CasMember,
  CasPost,
  CasProfile,
  cascadeEntities,
} from '../cascade-entities.js';
import { counting } from '../support/relation-seed.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

/** `authors` authors, each with a profile and two posts of three comments (one post with a category). */
async function seedGraphs(db: Database, authors: number) {
  const uow = db.unitOfWork();
  const roots = Array.from({ length: authors }, (_, i) =>
    uow.persist(CasAuthor, {
      name: `author ${i}`,
      profile: { bio: `bio ${i}` },
      posts: [
        {
          title: 'first',
          category: { label: `c${i}` },
          comments: [{ body: 'a' }, { body: 'b' }, { body: 'c' }],
        },
        { title: 'second', comments: [{ body: 'd' }, { body: 'e' }, { body: 'f' }] },
      ],
    }),
  );
  const flushed = await counting(db, () => uow.flush());
  return { roots, flushed };
}

/**
 * A tree of `entity` rows: a root, two managers under it, two reports under each; and a second root
 * alone. Returns the ids by name.
 */
async function seedTree(db: Database, entity: typeof CasEmployee | typeof CasMember) {
  const repo = db.repository(entity);
  const root = await repo.insert({ name: 'root', managerId: null });
  const other = await repo.insert({ name: 'other', managerId: null });
  const ids: Record<string, string> = { root: root.id, other: other.id };
  for (const m of ['m1', 'm2']) {
    ids[m] = (await repo.insert({ name: m, managerId: root.id })).id;
    for (const r of ['a', 'b'])
      ids[`${m}${r}`] = (await repo.insert({ name: `${m}${r}`, managerId: ids[m]! })).id;
  }
  return ids;
}

/** Every row of `entity` as `name -> manager's name`, sorted by name. */
async function managers(db: Database, entity: typeof CasEmployee | typeof CasMember) {
  const rows = (await db.repository(entity).find({ orderBy: 'name', limit: 100 })).items;
  const names = new Map(rows.map((row) => [row.id, row.name]));
  return rows.map(
    (row) => `${row.name}->${row.managerId === null ? '-' : (names.get(row.managerId) ?? '?')}`,
  );
}

/** The depth the self-referencing cascade case deletes at once (MariaDB's InnoDB stops at 15 rows). */
const DEEP_CHAIN = 20;

async function counts(db: Database) {
  const [authors, profiles, posts, comments, categories] = await Promise.all(
    [CasAuthor, CasProfile, CasPost, CasComment, CasCategory].map((e) => db.repository(e).count()),
  );
  return { authors, profiles, posts, comments, categories };
}

/**
 * Cascades declared on relations (`cascade: ['persist', 'remove']`): a unit of work persists a graph of
 * new rows given nested under their parent, and removes a parent's children with it, read in one batched
 * query per relation per level and deleted before the parent, in the flush's transaction.
 */
export function cascadeCases(ctx: SuiteContext): void {
  describe('relation cascades', () => {
    const db = ctx.shared({ pool: { max: 2 }, entities: cascadeEntities });
    beforeEach(() => ctx.clear(db(), ...cascadeEntities));

    it('persist cascades a nested graph: foreign keys filled in, inserted in dependency order, one statement per entity', async () => {
      const one = await seedGraphs(db(), 1);
      // authors, profiles, posts, comments, categories: 1 + 1 + 2 + 6 + 1 rows.
      expect(one.flushed.result).toEqual({ inserted: 11, updated: 0, deleted: 0 });
      const loaded = await db()
        .repository(CasAuthor)
        .findById(one.roots[0]!.id, {
          include: {
            profile: true,
            posts: { orderBy: 'title', include: { category: true, comments: { orderBy: 'body' } } },
          },
        });
      expect(loaded!.profile).toMatchObject({ bio: 'bio 0', authorId: one.roots[0]!.id });
      expect(loaded!.posts.map((p) => [p.title, p.category?.label ?? null])).toEqual([
        ['first', 'c0'],
        ['second', null],
      ]);
      expect(loaded!.posts.map((p) => p.comments.map((c) => c.body).join(''))).toEqual(['abc', 'def']);
      // Ten graphs take the statements one does: one insert per entity, whatever the number of rows.
      const ten = await seedGraphs(db(), 10);
      expect(ten.flushed.result.inserted).toBe(110);
      expect(ten.flushed.statements).toBe(one.flushed.statements);
    });

    it('persist refuses data under a relation that does not cascade, or a bad nested row, scheduling nothing', async () => {
      const uow = db().unitOfWork();
      const post = { authorId: 'x', title: 't', likes: [{ by: 'ada' }] };
      const refused = await rejection(() => uow.persist(CasPost, post as never), ValidationError);
      expect(refused.message).toContain('likes does not cascade persist');
      await rejection(
        () =>
          uow.persist(CasAuthor, {
            name: 'Ada',
            posts: [{ title: 'ok' }, { title: 'x'.repeat(51) }],
          }),
        ValidationError,
      );
      await rejection(
        () => uow.persist(CasAuthor, { name: 'Ada', posts: [{ title: 'x', authorId: 'other' } as never] }),
        ValidationError,
      );
      await rejection(() => uow.persist(CasAuthor, { name: 'Ada', posts: {} as never }), ValidationError);
      expect(uow.size).toBe(0);
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    });

    it('remove cascades to children and grandchildren: one read per relation per level, the same for 1 parent and 20', async () => {
      const { roots } = await seedGraphs(db(), 21);
      const uow = db().unitOfWork();
      uow.remove(CasAuthor, (await uow.findById(CasAuthor, roots[0]!.id))!);
      const one = await counting(db(), () => uow.flush());
      // The author, its profile, two posts and six comments; the category is not a child.
      expect(one.result).toEqual({ inserted: 0, updated: 0, deleted: 10 });
      expect(await counts(db())).toEqual({
        authors: 20,
        profiles: 20,
        posts: 40,
        comments: 120,
        categories: 21,
      });

      const many = db().unitOfWork();
      const page = await many.find(CasAuthor, { limit: 100 });
      for (const author of page.items) many.remove(CasAuthor, author);
      const twenty = await counting(db(), () => many.flush());
      expect(twenty.result.deleted).toBe(200);
      expect(twenty.statements).toBe(one.statements);
      expect(await counts(db())).toEqual({ authors: 0, profiles: 0, posts: 0, comments: 0, categories: 21 });
    });

    it('remove cascades through rows already loaded (deleted, not updated) and forgets new children', async () => {
      const { roots } = await seedGraphs(db(), 1);
      const uow = db().unitOfWork();
      const author = await uow.findById(CasAuthor, roots[0]!.id, { include: { posts: true } });
      author!.posts[0]!.title = 'changed';
      uow.persist(CasComment, { postId: author!.posts[1]!.id, body: 'late' });
      uow.remove(CasAuthor, author!);
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 10 });
      expect(uow.size).toBe(0);
      expect(await counts(db())).toMatchObject({ authors: 0, posts: 0, comments: 0 });
    });

    it('without cascade, remove takes only the row removed', async () => {
      const { roots } = await seedGraphs(db(), 1);
      const uow = db().unitOfWork();
      const post = (await uow.find(CasPost, { where: { authorId: roots[0]!.id }, orderBy: 'title' }))
        .items[0]!;
      const category = (await uow.findById(CasCategory, post.categoryId!))!;
      uow.remove(CasCategory, category);
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 1 });
      expect(await counts(db())).toMatchObject({ posts: 2, comments: 6, categories: 0 });
    });

    if (ctx.capabilities.foreignKeys) {
      it("a self-referencing onDelete 'cascade' deletes the rows below the deleted one, level by level", async () => {
        const ids = await seedTree(db(), CasEmployee);
        await db().repository(CasEmployee).delete(ids.m1!);
        expect(await managers(db(), CasEmployee)).toEqual([
          'm2->root',
          'm2a->m2',
          'm2b->m2',
          'other->-',
          'root->-',
        ]);
        await db().repository(CasEmployee).delete(ids.root!);
        expect(await managers(db(), CasEmployee)).toEqual(['other->-']);
      });

      it("a self-referencing onDelete 'setNull' clears the deleted row's direct reports only", async () => {
        const ids = await seedTree(db(), CasMember);
        await db().repository(CasMember).delete(ids.m1!);
        expect(await managers(db(), CasMember)).toEqual([
          'm1a->-',
          'm1b->-',
          'm2->root',
          'm2a->m2',
          'm2b->m2',
          'other->-',
          'root->-',
        ]);
        await db().repository(CasMember).delete(ids.root!);
        expect(await managers(db(), CasMember)).toEqual([
          'm1a->-',
          'm1b->-',
          'm2->-',
          'm2a->m2',
          'm2b->m2',
          'other->-',
        ]);
      });

      it(`a self-referencing cascade ${DEEP_CHAIN} rows deep: deleted whole, or refused whole where the backend limits the depth (MariaDB)`, async () => {
        const repo = db().repository(CasEmployee);
        const chain: string[] = [];
        for (let i = 0; i < DEEP_CHAIN; i++) {
          chain.push((await repo.insert({ name: `level ${i}`, managerId: chain.at(-1) ?? null })).id);
        }
        if (db().backend !== 'mysql') {
          await repo.delete(chain[0]!);
          expect(await repo.count()).toBe(0);
          return;
        }
        // InnoDB cascades through at most 15 rows (the deleted one and 14 below it); the statement is undone.
        const error = await rejection(repo.delete(chain[0]!), ForeignKeyViolationError);
        expect(error).toMatchObject({ entity: CasEmployee.name, relation: 'manager' });
        expect(error.message).toContain('15');
        expect(await repo.count()).toBe(DEEP_CHAIN);
        // Deleted from the middle first, each cascade stays within the limit.
        await repo.delete(chain[10]!);
        expect(await repo.count()).toBe(10);
        await repo.delete(chain[0]!);
        expect(await repo.count()).toBe(0);
      });

      it('a cascade stopped by a foreign key of a relation that does not cascade: ForeignKeyViolationError, nothing removed', async () => {
        const { roots } = await seedGraphs(db(), 1);
        const post = (await db().repository(CasPost).findOne({ authorId: roots[0]!.id }))!;
        const like = await db().repository(CasLike).insert({ postId: post.id, by: 'grace' });
        const uow = db().unitOfWork();
        uow.remove(CasAuthor, (await uow.findById(CasAuthor, roots[0]!.id))!);
        const error = await rejection(uow.flush(), ForeignKeyViolationError);
        expect(error).toMatchObject({ entity: CasLike.name, relation: 'post' });
        expect(await counts(db())).toEqual({ authors: 1, profiles: 1, posts: 2, comments: 6, categories: 1 });
        // The unit of work is as before the flush: the author alone is pending, and goes once the like has.
        expect(uow.size).toBe(1);
        await db().repository(CasLike).delete(like.id);
        expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 10 });
        expect(await counts(db())).toMatchObject({ authors: 0, posts: 0, comments: 0 });
      });
    } else {
      it('without foreign keys (MongoDB): a cascade leaves the rows of a relation that does not cascade dangling', async () => {
        const { roots } = await seedGraphs(db(), 1);
        const post = (await db().repository(CasPost).findOne({ authorId: roots[0]!.id }))!;
        await db().repository(CasLike).insert({ postId: post.id, by: 'grace' });
        const uow = db().unitOfWork();
        uow.remove(CasAuthor, (await uow.findById(CasAuthor, roots[0]!.id))!);
        expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 10 });
        expect(await db().repository(CasLike).count({ postId: post.id })).toBe(1);
      });

      it("without foreign keys (MongoDB): a self-referencing onDelete 'cascade' or 'setNull' does nothing", async () => {
        for (const entity of [CasEmployee, CasMember]) {
          const ids = await seedTree(db(), entity);
          await db().repository(entity).delete(ids.m1!);
          expect(await managers(db(), entity)).toEqual([
            'm1a->?',
            'm1b->?',
            'm2->root',
            'm2a->m2',
            'm2b->m2',
            'other->-',
            'root->-',
          ]);
        }
      });
    }
  });
}
