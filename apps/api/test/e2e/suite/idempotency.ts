import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, idempotentWritesOf } from '../../../src/app.js';
import { Employee, IdempotencyRecord, User } from '../../../src/entities.js';
import type { GetContext } from '../support/context.js';
import { newEmployee, newUser, sleep, unique } from '../support/data.js';
import { Http, type Reply } from '../support/http.js';

const key = () => unique('idem-key');
const keyed = (k: string, extra: Record<string, string> = {}) => ({ 'idempotency-key': k, ...extra });
const hashOf = (k: string) => createHash('sha256').update(k).digest('hex');

/** A server of its own on the suite's database: another instance, with its own in-flight keys. */
async function sibling(ctx: GetContext, idempotencyTtlSeconds?: number) {
  const app = await buildApp({ db: ctx().db, healthTimeoutMs: 5_000, idempotencyTtlSeconds });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  return { app, http: new Http(`http://127.0.0.1:${address.port}`) };
}

function expectReplay(replay: Reply, first: Reply): void {
  expect(replay.status, replay.text).toBe(first.status);
  expect(replay.headers.get('idempotency-replayed')).toBe('true');
  expect(replay.text).toBe(first.text);
  for (const header of ['location', 'etag', 'content-type']) {
    expect([header, replay.headers.get(header)]).toEqual([header, first.headers.get(header)]);
  }
}

export function idempotencyTests(ctx: GetContext): void {
  describe('Idempotency-Key', () => {
    const record = (k: string) =>
      ctx()
        .db.repository(IdempotencyRecord)
        .findOne({ keyHash: hashOf(k) });

    it('POST: a retry replays the first 201 (Location, ETag, body) and writes nothing', async () => {
      const { http, db } = ctx();
      const k = key();
      const input = newEmployee();
      const first = await http.post('/employees', input, keyed(k));
      expect(first.status, first.text).toBe(201);
      expect(first.headers.get('idempotency-replayed')).toBeNull();
      for (let i = 0; i < 2; i++) expectReplay(await http.post('/employees', input, keyed(k)), first);
      // Member order and spacing do not make another request.
      const reordered = Object.fromEntries(Object.entries(input).reverse());
      expectReplay(await http.post('/employees', reordered, keyed(k)), first);
      expect(await db.repository(Employee).count({ email: input.email })).toBe(1);
      expect(await record(k)).toMatchObject({ status: 201 });
    });

    it('PATCH, DELETE, bulk and raise replay their first answer instead of acting twice', async () => {
      const { http, db } = ctx();
      const department = unique('idem_dept');
      const bulkKey = key();
      const people = [newEmployee({ department, salary: 1_000 }), newEmployee({ department, salary: 2_000 })];
      const bulk = await http.post('/employees/bulk', people, keyed(bulkKey));
      expect(bulk.status, bulk.text).toBe(201);
      expectReplay(await http.post('/employees/bulk', people, keyed(bulkKey)), bulk);
      expect(await db.repository(Employee).count({ department })).toBe(2);

      const raiseKey = key();
      const path = `/departments/${department}/raise`;
      const raised = await http.post(path, { percent: 10 }, keyed(raiseKey));
      expect(raised.body).toEqual({ updated: 2 });
      expectReplay(await http.post(path, { percent: 10 }, keyed(raiseKey)), raised);
      const salaries = (await db.repository(Employee).find({ where: { department }, orderBy: 'salary' }))
        .items;
      expect(salaries.map((e) => e.salary)).toEqual([1_100, 2_200]);

      const id = bulk.body.items[0].id;
      const patchKey = key();
      const patched = await http.patch(
        `/employees/${id}`,
        { salary: 5 },
        keyed(patchKey, { 'if-match': '"2"' }),
      );
      expect(patched.status, patched.text).toBe(200);
      // Replayed, not re-evaluated: the If-Match that now fails (412) does not matter.
      const again = await http.patch(
        `/employees/${id}`,
        { salary: 5 },
        keyed(patchKey, { 'if-match': '"2"' }),
      );
      expectReplay(again, patched);
      expect((await http.get(`/employees/${id}`)).body.version).toBe(3);

      const deleteKey = key();
      const deleted = await http.delete(`/employees/${id}`, keyed(deleteKey));
      expect(deleted.status).toBe(204);
      const replayed = await http.delete(`/employees/${id}`, keyed(deleteKey));
      expect(replayed.status).toBe(204);
      expect(replayed.headers.get('idempotency-replayed')).toBe('true');
      // Without the key the same DELETE is answered by the current state.
      expect((await http.delete(`/employees/${id}`)).status).toBe(404);
    });

    it('the same key with another body, path or method is a 422 IDEMPOTENCY_KEY_REUSED and writes nothing', async () => {
      const { http, db } = ctx();
      const k = key();
      const input = newUser();
      expect((await http.post('/users', input, keyed(k))).status).toBe(201);
      const other = newUser();
      for (const reply of [
        await http.post('/users', { ...input, displayName: 'Someone else' }, keyed(k)),
        await http.post('/users', other, keyed(k)),
        await http.post('/employees', newEmployee(), keyed(k)),
        await http.delete('/users/whatever', keyed(k)),
      ]) {
        expect(reply.status, reply.text).toBe(422);
        expect(reply.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      }
      expect(await db.repository(User).count({ username: other.username })).toBe(0);
    });

    it('a malformed Idempotency-Key is a 400 and writes nothing', async () => {
      const { http, db } = ctx();
      const input = newUser();
      for (const bad of ['', 'x'.repeat(256), 'has space', 'tab\there', 'caf\u00e9']) {
        const reply = await http
          .request('POST', '/users', {
            raw: Buffer.from(JSON.stringify(input)),
            headers: { 'content-type': 'application/json', 'idempotency-key': bad },
          })
          .catch(() => undefined);
        // fetch itself refuses some header values (a tab is allowed, non-Latin-1 is not); the rest reach us.
        if (reply === undefined) continue;
        expect([bad, reply.status]).toEqual([bad, 400]);
        expect(reply.body.error.code).toBe('VALIDATION');
      }
      expect(await db.repository(User).count({ username: input.username })).toBe(0);
    });

    it('a failed first attempt (400, 409, 404) stores nothing: the key row rolls back with the write', async () => {
      const { http, db } = ctx();
      const taken = newUser();
      const holder = await http.post('/users', taken);
      const k = key();
      const clash = { ...newUser(), email: taken.email };
      const conflict = await http.post('/users', clash, keyed(k));
      expect(conflict.status, conflict.text).toBe(409);
      expect(conflict.body.error.code).toBe('CONFLICT');
      // The insert of the key row came first in that transaction; the unique violation rolled it back.
      expect(await record(k)).toBeNull();
      // Once the e-mail is free, the same request with the same key succeeds: the key was not poisoned.
      expect((await http.delete(`/users/${holder.body.id}`)).status).toBe(204);
      const retried = await http.post('/users', clash, keyed(k));
      expect(retried.status, retried.text).toBe(201);
      expect(retried.headers.get('idempotency-replayed')).toBeNull();
      expect(await record(k)).toMatchObject({ status: 201 });

      const k2 = key();
      const invalid = await http.post('/users', { ...newUser(), username: 'NO' }, keyed(k2));
      expect(invalid.status).toBe(400);
      const missing = await http.patch('/users/no-such-id', { displayName: 'x' }, keyed(k2));
      expect(missing.status).toBe(404);
      expect(await record(k2)).toBeNull();
      const valid = newUser();
      expect((await http.post('/users', valid, keyed(k2))).status).toBe(201);
      expect(await db.repository(User).count({ username: valid.username })).toBe(1);
    });

    it('a raise refused at the ceiling (409) rolls its key back; the key then works for a fitting raise', async () => {
      const { http, db } = ctx();
      const department = unique('idem_ceiling');
      await http.post('/employees/bulk', [newEmployee({ department, salary: 900_000_000 })]);
      const k = key();
      const path = `/departments/${department}/raise`;
      expect((await http.post(path, { percent: 50 }, keyed(k))).status).toBe(409);
      expect(await record(k)).toBeNull();
      const rows = await db.repository(Employee).find({ where: { department } });
      await db.repository(Employee).update(rows.items[0]!.id, { salary: 100 });
      const ok = await http.post(path, { percent: 50 }, keyed(k));
      expect(ok.body).toEqual({ updated: 1 });
    });

    it('concurrent duplicates on one instance: exactly one write, the others 409 IN_USE or a replay', async () => {
      const { http, db } = ctx();
      const k = key();
      const input = newEmployee();
      const replies = await Promise.all(
        Array.from({ length: 8 }, () => http.post('/employees', input, keyed(k))),
      );
      const fresh = replies.filter((r) => r.status === 201 && !r.headers.get('idempotency-replayed'));
      expect(fresh).toHaveLength(1);
      for (const reply of replies) {
        if (reply.status === 409) expect(reply.body.error.code).toBe('IDEMPOTENCY_KEY_IN_USE');
        else expect(reply.status, reply.text).toBe(201);
      }
      expect(await db.repository(Employee).count({ email: input.email })).toBe(1);
    });

    it('a repeat while the first is still in progress is a 409 IDEMPOTENCY_KEY_IN_USE; then it replays', async () => {
      const { http, db } = ctx();
      const k = key();
      const input = newUser();
      // Every pooled connection held: the first request waits inside its handler, in flight for sure.
      const leases = await Promise.all(Array.from({ length: db.pool.stats().max }, () => db.pool.acquire()));
      let first: Promise<Reply>;
      try {
        first = http.post('/users', input, keyed(k));
        for (let i = 0; i < 500 && db.pool.stats().waiting === 0; i++) await sleep(10);
        expect(db.pool.stats().waiting).toBe(1);
        const repeat = await http.post('/users', input, keyed(k));
        expect(repeat.status, repeat.text).toBe(409);
        expect(repeat.body.error.code).toBe('IDEMPOTENCY_KEY_IN_USE');
        expect(repeat.headers.get('retry-after')).toBeNull();
      } finally {
        for (const lease of leases) await db.pool.release(lease);
      }
      const created = await first;
      expect(created.status, created.text).toBe(201);
      expectReplay(await http.post('/users', input, keyed(k)), created);
      expect(await db.repository(User).count({ username: input.username })).toBe(1);
    });

    describe('across instances', () => {
      let other: { app: FastifyInstance; http: Http };
      beforeAll(async () => {
        other = await sibling(ctx);
      });
      afterAll(async () => {
        await other?.app.close();
      });

      it('concurrent duplicates on two instances: one write; the others replay or are 409 IN_USE', async () => {
        const { http, db } = ctx();
        const department = unique('idem_two');
        await http.post('/employees/bulk', [newEmployee({ department, salary: 1_000 })]);
        const k = key();
        const path = `/departments/${department}/raise`;
        const replies = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? other.http : http).post(path, { percent: 10 }, keyed(k)),
          ),
        );
        for (const reply of replies) {
          if (reply.status === 409) expect(reply.body.error.code).toBe('IDEMPOTENCY_KEY_IN_USE');
          else expect([reply.status, reply.body]).toEqual([200, { updated: 1 }]);
        }
        expect(
          replies.filter((r) => r.status === 200 && !r.headers.get('idempotency-replayed')),
        ).toHaveLength(1);
        // Raised once: 1000 * 1.1, not 1210.
        const rows = await db.repository(Employee).find({ where: { department } });
        expect(rows.items.map((e) => e.salary)).toEqual([1_100]);
        // Once the first has committed, the other instance replays it.
        const late = await other.http.post(path, { percent: 10 }, keyed(k));
        expect([late.status, late.headers.get('idempotency-replayed')]).toEqual([200, 'true']);
      });
    });

    describe('expiry', () => {
      let short: { app: FastifyInstance; http: Http };
      beforeAll(async () => {
        short = await sibling(ctx, 1);
      });
      afterAll(async () => {
        await short?.app.close();
      });

      it('an expired key is not replayed: the same key works again, even for another request', async () => {
        const { db } = ctx();
        const k = key();
        const first = newUser();
        expect((await short.http.post('/users', first, keyed(k))).status).toBe(201);
        const replay = await short.http.post('/users', first, keyed(k));
        expect(replay.headers.get('idempotency-replayed')).toBe('true');
        await sleep(1_100);
        const second = newUser();
        const reused = await short.http.post('/users', second, keyed(k));
        expect(reused.status, reused.text).toBe(201);
        expect(reused.headers.get('idempotency-replayed')).toBeNull();
        expect(await db.repository(User).count({ username: second.username })).toBe(1);
        expect(await record(k)).toMatchObject({ status: 201 });
      });

      it('expired keys are purged in the background after writes, a bounded batch at a time', async () => {
        const { db } = ctx();
        const keys = [key(), key(), key()];
        for (const k of keys) expect((await short.http.post('/users', newUser(), keyed(k))).status).toBe(201);
        for (const k of keys) expect(await record(k)).not.toBeNull();
        await sleep(1_100);
        // A keyed write starts a purge (at most one per interval, here the 1 s TTL).
        expect((await short.http.post('/users', newUser(), keyed(key()))).status).toBe(201);
        await idempotentWritesOf(short.app).settled();
        for (const k of keys) expect(await record(k)).toBeNull();
        // Bounded: one purge deletes at most `limit` expired records.
        const more = [key(), key(), key()];
        for (const k of more) await short.http.post('/users', newUser(), keyed(k));
        await sleep(1_100);
        const writes = idempotentWritesOf(short.app);
        await writes.settled();
        expect(await writes.purgeExpired(2)).toBe(2);
        for (let purged = 2; purged > 0; ) {
          purged = await writes.purgeExpired(2);
          expect(purged).toBeLessThanOrEqual(2);
        }
        const left = await Promise.all(more.map(record));
        expect(left.filter((r) => r !== null)).toHaveLength(0);
        expect(await db.repository(IdempotencyRecord).count({ expiresAt: { lte: new Date() } })).toBe(0);
      });
    });
  });
}
