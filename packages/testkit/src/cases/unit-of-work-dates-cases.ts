import { ValidationError } from '@berth/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { Widget } from '../conformance-entities.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

let codes = 0;
const code = () => `dates-${++codes}`;

const T1 = Date.UTC(2024, 2, 3, 4, 5, 6, 7);
const T2 = Date.UTC(2025, 6, 7, 8, 9, 10, 11);

/**
 * The unit of work's private copies of many rows may share Date objects holding one instant (a bulk of rows
 * persisted together holds a few instants). The caller's rows never share them: a Date a caller changes in
 * place is found changed and written, for that row alone, whether it changed before the insert or after.
 */
export function unitOfWorkDatesCases(ctx: SuiteContext): void {
  describe('unit of work: Dates changed in place', () => {
    const db = ctx.shared();
    beforeEach(() => ctx.clear(db(), Widget));

    it('rows persisted together keep Dates of their own; one changed in place before the insert is inserted changed, alone', async () => {
      const uow = db().unitOfWork();
      const rows = [0, 1, 2].map(() =>
        uow.persist(Widget, { label: 'w', code: code(), happenedAt: new Date(T1) }),
      );
      const [a, b, c] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
      expect(a.createdAt).not.toBe(b.createdAt);
      expect(a.happenedAt).not.toBe(b.happenedAt);
      b.happenedAt.setTime(T2);
      expect(await uow.flush()).toEqual({ inserted: 3, updated: 0, deleted: 0 });
      expect((await ctx.rawById(Widget, a.id))!.happenedAt).toEqual(new Date(T1));
      expect((await ctx.rawById(Widget, b.id))!.happenedAt).toEqual(new Date(T2));
      expect((await ctx.rawById(Widget, c.id))!.happenedAt).toEqual(new Date(T1));
      expect(a.happenedAt.getTime()).toBe(T1);
      // Written as changed: nothing is left to write for it.
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    });

    it('a Date changed in place on a flushed row is written by the next flush, for that row only', async () => {
      const uow = db().unitOfWork();
      const [a, b] = [0, 1].map(() =>
        uow.persist(Widget, { label: 'w', code: code(), happenedAt: new Date(T1) }),
      );
      await uow.flush();
      a!.happenedAt.setTime(T2);
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 1, deleted: 0 });
      expect(await ctx.rawById(Widget, a!.id)).toMatchObject({ happenedAt: new Date(T2), version: 2 });
      expect(await ctx.rawById(Widget, b!.id)).toMatchObject({ happenedAt: new Date(T1), version: 1 });
      // Changed back in place: a change again, from what the last flush wrote.
      a!.happenedAt.setTime(T1);
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 1, deleted: 0 });
      expect(await ctx.rawById(Widget, a!.id)).toMatchObject({ happenedAt: new Date(T1), version: 3 });
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    });

    it('createdAt changed in place on a flushed row is refused as the data layer’s, and no other row is touched', async () => {
      const uow = db().unitOfWork();
      const [a, b] = [0, 1].map(() => uow.persist(Widget, { label: 'w', code: code() }));
      await uow.flush();
      const created = a!.createdAt.getTime();
      expect(b!.createdAt.getTime()).toBe((await ctx.rawById(Widget, b!.id))!.createdAt.getTime());
      a!.createdAt.setTime(created - 60_000);
      const error = await rejection(uow.flush(), ValidationError);
      // A new row's createdAt and updatedAt are one Date (one instant, set together): both read as changed.
      expect(error.issues).toContainEqual({ field: 'createdAt', message: 'set by the data layer' });
      expect(error.issues.map((issue) => issue.field)).not.toContain('label');
      expect(b!.createdAt.getTime()).not.toBe(created - 60_000);
      a!.createdAt.setTime(created);
      expect(await uow.flush()).toEqual({ inserted: 0, updated: 0, deleted: 0 });
    });

    it('a persisted row is found by findById of its unit of work, the same object, before and after the flush', async () => {
      const uow = db().unitOfWork();
      const rows = Array.from({ length: 5 }, () => uow.persist(Widget, { label: 'w', code: code() }));
      expect(await uow.findById(Widget, rows[3]!.id)).toBe(rows[3]);
      const later = uow.persist(Widget, { label: 'later', code: code() });
      await uow.flush();
      expect(await uow.findById(Widget, later.id)).toBe(later);
      expect(await uow.findById(Widget, rows[0]!.id)).toBe(rows[0]);
      expect(uow.size).toBe(6);
    });
  });
}
