import { type InsertOf, type Page, type RowOf, ValidationError } from '@berth/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Entry, Widget } from '../conformance-entities.js';
import { expectNoLeaks } from '../support/expect-no-leaks.js';
import { rejection } from '../support/rejection.js';
import type { SuiteContext } from '../support/suite-context.js';

type E = RowOf<typeof Entry>;
const ROWS = 47;
const entries: InsertOf<typeof Entry>[] = Array.from({ length: ROWS }, (_, i) => ({
  bucket: ['a', 'b', 'c'][i % 3]!,
  rank: i % 5,
  at: new Date(Date.UTC(2024, 0, 1) + (i % 7) * 1000),
  flag: i % 2 === 0,
  seq: i,
}));

/** Projections (`select`) and streaming (`stream`): what reaches the caller, and what is held meanwhile. */
export function projectionStreamCases(ctx: SuiteContext): void {
  describe('projections and streaming', () => {
    const db = ctx.shared({ pool: { max: 2 } });
    const repo = () => db().repository(Entry);
    let all: E[] = [];
    beforeAll(async () => {
      await ctx.clear(db(), Entry, Widget);
      await repo().insertMany(entries);
      all = (await repo().find({ limit: 'all' })).items;
    });

    it('select returns only the selected fields, with the stored values, on find, findById, getById and findOne', async () => {
      const page = await repo().find({ select: { seq: true, bucket: true }, orderBy: 'seq', limit: 'all' });
      expect(page.items).toEqual(
        [...all].sort((a, b) => a.seq - b.seq).map((r) => ({ bucket: r.bucket, seq: r.seq })),
      );
      for (const item of page.items) expect(Object.keys(item).sort()).toEqual(['bucket', 'seq']);
      const one = all[5]!;
      expect(await repo().findById(one.id, { select: { at: true, flag: true } })).toEqual({
        at: one.at,
        flag: one.flag,
      });
      expect(await repo().getById(one.id, { select: { id: true } })).toEqual({ id: one.id });
      expect(await repo().findOne({ seq: 7 }, undefined, { select: { rank: true } })).toEqual({
        rank: 7 % 5,
      });
      expect(
        await repo().findById('0190a6c4-5e8b-7cde-8f12-000000000000', { select: { id: true } }),
      ).toBeNull();
    });

    it('select reads JSON, nullable and datetime fields of every kind as a full read does', async () => {
      const widget = await db()
        .repository(Widget)
        .insert({ label: 'w', code: 'proj-1', payload: { deep: [1, { x: 'y' }] }, note: null, score: 5 });
      expect(
        await db()
          .repository(Widget)
          .findById(widget.id, {
            select: {
              payload: true,
              note: true,
              score: true,
              happenedAt: true,
              enabled: true,
              version: true,
            },
          }),
      ).toEqual({
        payload: widget.payload,
        note: null,
        score: 5,
        happenedAt: widget.happenedAt,
        enabled: true,
        version: 1,
      });
    });

    it('keyset pages keep working with a projection that leaves out the sort keys', async () => {
      const seen: Array<{ seq: number }> = [];
      let cursor: string | null = null;
      do {
        const page: Page<{ seq: number }> = await repo().find({
          select: { seq: true },
          orderBy: ['-rank', 'at'],
          limit: 6,
          cursor,
        });
        for (const item of page.items) expect(Object.keys(item)).toEqual(['seq']);
        seen.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor !== null);
      const full = (await repo().find({ orderBy: ['-rank', 'at'], limit: 'all' })).items;
      expect(seen).toEqual(full.map((r) => ({ seq: r.seq })));
    });

    it('refuses unknown fields, non-true values and an empty select with ValidationError; a unit of work refuses select', async () => {
      for (const select of [{ bogus: true }, { seq: false }, {}, ['seq']]) {
        await rejection(repo().find({ select: select as never }), ValidationError);
        await rejection(repo().findById(all[0]!.id, { select: select as never }), ValidationError);
      }
      await rejection(
        db()
          .unitOfWork()
          .find(Entry, { select: { seq: true } } as never),
        ValidationError,
      );
    });

    it("limit: 'all' reads every row; without a limit the read is capped (TooManyRowsError beyond MAX_UNBOUNDED_ROWS)", async () => {
      expect((await repo().find({ limit: 'all' })).items).toHaveLength(ROWS);
      expect((await repo().find()).items).toHaveLength(ROWS);
      await rejection(repo().find({ limit: 'everything' as never }), ValidationError);
    });

    it('stream yields every match once, in order, in batches, and leaves nothing checked out', async () => {
      const streamed: E[] = [];
      for await (const row of repo().stream({
        orderBy: ['bucket', '-seq'],
        batchSize: 4,
        where: { rank: { lt: 4 } },
      }))
        streamed.push(row);
      const expected = (
        await repo().find({ orderBy: ['bucket', '-seq'], where: { rank: { lt: 4 } }, limit: 'all' })
      ).items;
      expect(streamed).toEqual(expected);
      const projected: Array<{ seq: number }> = [];
      for await (const row of repo().stream({ select: { seq: true }, batchSize: 10_000 }))
        projected.push(row);
      expect(projected).toEqual(all.map((r) => ({ seq: r.seq })));
      await expectNoLeaks(ctx, db());
    });

    it('breaking out of a stream releases everything: the pool is idle and no further batch is read', async () => {
      const events: string[] = [];
      const onAcquire = () => events.push('acquire');
      db().pool.on('acquire', onAcquire);
      // With read replicas the batches are read on a replica's pool: counted by its reads instead.
      const replicaReads = () => db().replicaStats()?.replicaReads ?? 0;
      const replicaReadsBefore = replicaReads();
      try {
        let taken = 0;
        for await (const _row of repo().stream({ batchSize: 5 })) {
          taken++;
          expect(db().pool.stats().inUse).toBe(0);
          expect(db().replicaStats()?.sum.inUse ?? 0).toBe(0);
          if (taken === 3) break;
        }
        expect(taken).toBe(3);
        expect([...events, ...Array(replicaReads() - replicaReadsBefore).fill('acquire')]).toEqual([
          'acquire',
        ]);
      } finally {
        db().pool.off('acquire', onAcquire);
      }
      expect(db().pool.stats()).toMatchObject({ inUse: 0, waiting: 0 });
      await expectNoLeaks(ctx, db());
    });

    it('validates stream options before reading anything', async () => {
      expect(() => repo().stream({ batchSize: 0 })).toThrow(ValidationError);
      expect(() => repo().stream({ batchSize: 10_001 })).toThrow(ValidationError);
      expect(() => repo().stream({ orderBy: 'nope' as never })).toThrow(ValidationError);
      expect(() => repo().stream({ select: { nope: true } as never })).toThrow(ValidationError);
      expect(() => repo().stream({ where: { nope: 1 } as never })).toThrow(ValidationError);
    });

    if (ctx.capabilities.transactions) {
      it('inside a transaction a stream reads on the pinned connection: it sees uncommitted rows and acquires nothing', async () => {
        // The shared pool, watched: no acquire may happen while the transaction streams.
        const single = db();
        const acquires: string[] = [];
        const onAcquire = () => acquires.push('acquire');
        const seen = await single
          .transaction(async (tx) => {
            single.pool.on('acquire', onAcquire);
            await tx
              .repository(Entry)
              .insert({ bucket: 'tx', rank: 0, at: new Date(), flag: true, seq: 1_000 });
            const ambient: number[] = [];
            for await (const row of single
              .repository(Entry)
              .stream({ where: { bucket: 'tx' }, batchSize: 1 }))
              ambient.push(row.seq);
            const streamed: number[] = [];
            for await (const row of tx.repository(Entry).stream({ batchSize: 2 })) streamed.push(row.seq);
            const listed = (await tx.repository(Entry).find({ limit: 'all' })).items.map((r) => r.seq);
            single.pool.off('acquire', onAcquire);
            throw Object.assign(new Error('roll back'), { seen: { ambient, streamed, listed } });
          })
          .catch(
            (error: { seen?: { ambient: number[]; streamed: number[]; listed: number[] } }) => error.seen,
          );
        expect(seen?.ambient).toEqual([1_000]);
        expect(seen?.streamed).toEqual(seen?.listed);
        expect(seen?.streamed).toContain(1_000);
        expect(acquires).toEqual([]);
        expect(await single.repository(Entry).count({ bucket: 'tx' })).toBe(0);
      });
    }
  });
}
