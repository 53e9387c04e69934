import { beforeAll, describe, expect, it } from 'vitest';
import type { GetContext } from '../support/context.js';
import { byKey, newUser, unique } from '../support/data.js';
import { allPages } from '../support/pages.js';
import { STRANGE_IDS } from './employees.js';
import type { Json } from '../support/http.js';

export function userTests(ctx: GetContext): void {
  describe('users', () => {
    it('create, read, change, delete with Location, ETag and If-Match', async () => {
      const { http } = ctx();
      const input = newUser();
      const created = await http.post('/users', input);
      expect(created.status, created.text).toBe(201);
      expect(created.headers.get('location')).toBe(`/users/${created.body.id}`);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.body).toEqual({
        id: expect.any(String),
        ...input,
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const read = await http.get(`/users/${created.body.id}`);
      expect(read.headers.get('etag')).toBe('"1"');
      expect(read.body).toEqual(created.body);

      const changed = await http.patch(
        `/users/${created.body.id}`,
        { displayName: 'Renamed' },
        { 'if-match': '"1"' },
      );
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).toBe('"2"');
      const stale = await http.patch(
        `/users/${created.body.id}`,
        { displayName: 'Lost' },
        { 'if-match': '"1"' },
      );
      expect(stale.status).toBe(412);
      expect((await http.delete(`/users/${created.body.id}`, { 'if-match': '"1"' })).status).toBe(412);
      expect((await http.delete(`/users/${created.body.id}`, { 'if-match': 'W/"2"' })).status).toBe(400);
      expect((await http.get(`/users/${created.body.id}`)).body.displayName).toBe('Renamed');
      expect((await http.delete(`/users/${created.body.id}`)).status).toBe(204);
      expect((await http.get(`/users/${created.body.id}`)).status).toBe(404);
    });

    it('username must be 3..50 of a-z, 0-9 and _', async () => {
      const { http } = ctx();
      for (const username of [
        'ab',
        'Alice',
        'al-ice',
        'al ice',
        'ålice',
        'a'.repeat(51),
        '',
        'abc\u0000',
        5,
      ]) {
        const reply = await http.post('/users', newUser({ username: username as string }));
        expect([username, reply.status]).toEqual([username, 400]);
        expect(reply.body.error.details).toEqual(
          expect.arrayContaining([expect.objectContaining({ field: 'username' })]),
        );
      }
      for (const username of ['abc', 'a'.repeat(50), `x_${unique('ok').toLowerCase()}`.slice(0, 50)]) {
        const reply = await http.post('/users', newUser({ username: `${username}`.slice(0, 50) }));
        if (reply.status === 409) continue; // `abc` / `aaa…` may exist from an earlier run on a shared database
        expect([username, reply.status]).toEqual([username, 201]);
      }
      const bad = await http.post('/users', { ...newUser(), displayName: '' });
      expect(bad.status).toBe(400);
      const extra = await http.post('/users', { ...newUser(), version: 1 });
      expect(extra.status).toBe(400);
      const created = (await http.post('/users', newUser())).body;
      expect((await http.patch(`/users/${created.id}`, { username: 'NOPE' })).status).toBe(400);
      expect((await http.patch(`/users/${created.id}`, { department: 'x' })).status).toBe(400);
    });

    it('username and email are unique: 409 CONFLICT naming the field', async () => {
      const { http } = ctx();
      const first = (await http.post('/users', newUser())).body;
      const sameName = await http.post('/users', newUser({ username: first.username }));
      expect(sameName.status).toBe(409);
      expect(sameName.body.error.details).toEqual([expect.objectContaining({ field: 'username' })]);
      const sameEmail = await http.post('/users', newUser({ email: first.email }));
      expect(sameEmail.status).toBe(409);
      expect(sameEmail.body.error.details).toEqual([expect.objectContaining({ field: 'email' })]);
      const second = (await http.post('/users', newUser())).body;
      const clash = await http.patch(`/users/${second.id}`, { username: first.username });
      expect(clash.status).toBe(409);
    });

    it('any id that names nothing is a 404', async () => {
      const { http } = ctx();
      for (const id of STRANGE_IDS) {
        expect([id.slice(0, 40), (await http.get(`/users/${id}`)).status]).toEqual([id.slice(0, 40), 404]);
        expect([id.slice(0, 40), (await http.patch(`/users/${id}`, { displayName: 'x' })).status]).toEqual([
          id.slice(0, 40),
          404,
        ]);
        expect([id.slice(0, 40), (await http.delete(`/users/${id}`)).status]).toEqual([id.slice(0, 40), 404]);
      }
    });

    describe('GET /users', () => {
      const prefix = `s${unique('').toLowerCase()}`;
      const mine: Json[] = [];

      beforeAll(async () => {
        const { http } = ctx();
        for (const suffix of ['delta', 'alpha', 'charlie', 'bravo', 'echo', 'alpha2', 'a_b', 'a1']) {
          const reply = await http.post('/users', newUser({ username: `${prefix}_${suffix}`.slice(0, 50) }));
          expect(reply.status, reply.text).toBe(201);
          mine.push(reply.body);
        }
      });

      it('sorts by username and createdAt both ways, and pages by cursor over everything', async () => {
        const { http } = ctx();
        const ids = new Set(mine.map((u) => u.id));
        for (const sort of ['username', '-username', 'createdAt', '-createdAt']) {
          const { items } = await allPages(http, '/users', { sort }, 3);
          // The database is shared with other tests: check the full order, then that ours are in it.
          expect([...items].sort(byKey(sort)).map((u) => u.id)).toEqual(items.map((u) => u.id));
          expect(new Set(items.map((u) => u.id)).size).toBe(items.length);
          const ours = items.filter((u) => ids.has(u.id));
          expect(ours.map((u) => u.id)).toEqual([...mine].sort(byKey(sort)).map((u) => u.id));
        }
      });

      it('refuses unknown sorts, filters and bad limits', async () => {
        const { http } = ctx();
        for (const query of [
          'sort=email',
          'sort=name',
          'sort=displayName',
          'department=x',
          'limit=0',
          'limit=101',
          'cursor=zzz',
          'username=x',
        ]) {
          const reply = await http.get(`/users?${query}`);
          expect([query, reply.status]).toEqual([query, 400]);
        }
        const page = await http.get('/users?limit=2&sort=username');
        expect(page.body.items.length).toBeLessThanOrEqual(2);
      });
    });
  });
}
