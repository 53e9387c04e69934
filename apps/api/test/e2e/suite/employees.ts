import { describe, expect, it } from 'vitest';
import type { GetContext } from '../support/context.js';
import { newEmployee, sleep } from '../support/data.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Ids of every shape that name nothing: each must be a 404, never a 400 or a 500. */
export const STRANGE_IDS = [
  '01900000-0000-7000-8000-000000000000',
  'does-not-exist',
  '%20',
  '%09',
  'x'.repeat(10_000),
  encodeURIComponent('名前🙂'),
  '%00',
  'a%00b',
  '%FF',
  '%2F',
  encodeURIComponent("' OR 1=1 --"),
  encodeURIComponent('{"$gt":""}'),
  '%5B%5D',
  '-1',
  '0',
  '.',
];

export function employeeTests(ctx: GetContext): void {
  describe('employees: create, read, change, delete', () => {
    it('POST creates: 201, Location, ETag "1", the stored employee', async () => {
      const { http } = ctx();
      const input = newEmployee({ hiredAt: '2024-02-29T12:30:00+02:00' });
      const reply = await http.post('/employees', input);
      expect(reply.status, reply.text).toBe(201);
      const body = reply.body;
      expect(reply.headers.get('location')).toBe(`/employees/${body.id}`);
      expect(reply.headers.get('etag')).toBe('"1"');
      expect(body).toEqual({
        id: expect.any(String),
        name: input.name,
        email: input.email,
        department: input.department,
        salary: input.salary,
        active: true,
        hiredAt: '2024-02-29T10:30:00.000Z',
        // Added with the manager relation: null unless set (see suite/managers.ts).
        managerId: null,
        version: 1,
        createdAt: expect.stringMatching(ISO),
        updatedAt: expect.stringMatching(ISO),
      });
      expect(body.createdAt).toBe(body.updatedAt);

      const read = await http.get(reply.headers.get('location')!);
      expect(read.status).toBe(200);
      expect(read.headers.get('etag')).toBe('"1"');
      expect(read.body).toEqual(body);
    });

    it('POST keeps active: false and accepts a JSON content type with parameters', async () => {
      const { http } = ctx();
      const reply = await http.request('POST', '/employees', {
        json: newEmployee({ active: false }),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(reply.status).toBe(201);
      expect(reply.body.active).toBe(false);
    });

    it('lengths count characters, not bytes or UTF-16 units: 200 emoji are a valid name', async () => {
      const { http } = ctx();
      const input = newEmployee({ name: '🙂'.repeat(200), department: 'é'.repeat(100) });
      const created = await http.post('/employees', input);
      expect(created.status, created.text).toBe(201);
      expect(created.body).toMatchObject({ name: input.name, department: input.department });
      expect((await http.get(`/employees/${created.body.id}`)).body).toEqual(created.body);
      const tooLong = await http.post('/employees', newEmployee({ name: '🙂'.repeat(201) }));
      expect(tooLong.status).toBe(400);
    });

    it('PATCH changes the given fields, bumps the version and the ETag', async () => {
      const { http } = ctx();
      const created = (await http.post('/employees', newEmployee())).body;
      await sleep(5);
      const reply = await http.patch(`/employees/${created.id}`, {
        salary: 61_000,
        department: 'research',
        hiredAt: '2021-06-01T00:00:00Z',
      });
      expect(reply.status, reply.text).toBe(200);
      expect(reply.headers.get('etag')).toBe('"2"');
      expect(reply.body).toMatchObject({
        id: created.id,
        name: created.name,
        salary: 61_000,
        department: 'research',
        hiredAt: '2021-06-01T00:00:00.000Z',
        version: 2,
        createdAt: created.createdAt,
      });
      expect(Date.parse(reply.body.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
      const read = await http.get(`/employees/${created.id}`);
      expect(read.headers.get('etag')).toBe('"2"');
      expect(read.body).toEqual(reply.body);
    });

    it('PATCH with no change keeps the version; every real change adds exactly one', async () => {
      const { http } = ctx();
      const created = (await http.post('/employees', newEmployee())).body;
      const same = await http.patch(`/employees/${created.id}`, { name: created.name });
      expect(same.status).toBe(200);
      expect(same.body.version).toBe(1);
      const empty = await http.patch(`/employees/${created.id}`, {});
      expect(empty.status).toBe(200);
      expect(empty.body.version).toBe(1);
      for (let i = 1; i <= 3; i++) {
        const changed = await http.patch(`/employees/${created.id}`, { salary: created.salary + i });
        expect(changed.body.version).toBe(1 + i);
        expect(changed.headers.get('etag')).toBe(`"${1 + i}"`);
      }
    });

    it('DELETE answers 204; then GET, PATCH and DELETE are 404', async () => {
      const { http } = ctx();
      const created = (await http.post('/employees', newEmployee())).body;
      const deleted = await http.delete(`/employees/${created.id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      expect((await http.get(`/employees/${created.id}`)).status).toBe(404);
      expect((await http.patch(`/employees/${created.id}`, { salary: 1 })).status).toBe(404);
      const again = await http.delete(`/employees/${created.id}`);
      expect(again.status).toBe(404);
      expect(again.body.error.code).toBe('NOT_FOUND');
    });

    it('a taken e-mail is a 409 CONFLICT naming the field, on create and on change', async () => {
      const { http } = ctx();
      const first = (await http.post('/employees', newEmployee())).body;
      const duplicate = await http.post('/employees', newEmployee({ email: first.email }));
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.code).toBe('CONFLICT');
      expect(duplicate.body.error.details).toEqual([expect.objectContaining({ field: 'email' })]);

      const second = (await http.post('/employees', newEmployee())).body;
      const clash = await http.patch(`/employees/${second.id}`, { email: first.email });
      expect(clash.status).toBe(409);
      expect(clash.body.error.details).toEqual([expect.objectContaining({ field: 'email' })]);
      const unchanged = await http.get(`/employees/${second.id}`);
      expect(unchanged.body).toEqual(second);
    });

    it('any id that names nothing is a 404 for GET, PATCH and DELETE, whatever its shape', async () => {
      const { http } = ctx();
      const ids = [...STRANGE_IDS];
      for (const id of ids) {
        const read = await http.get(`/employees/${id}`);
        expect([id.slice(0, 40), read.status]).toEqual([id.slice(0, 40), 404]);
        expect(read.body.error.code).toBe('NOT_FOUND');
        const patch = await http.patch(`/employees/${id}`, { salary: 1 });
        expect([id.slice(0, 40), patch.status]).toEqual([id.slice(0, 40), 404]);
        const remove = await http.delete(`/employees/${id}`);
        expect([id.slice(0, 40), remove.status]).toEqual([id.slice(0, 40), 404]);
        const conditional = await http.delete(`/employees/${id}`, { 'if-match': '"1"' });
        expect([id.slice(0, 40), conditional.status]).toEqual([id.slice(0, 40), 404]);
      }
      // Trailing slash: no id at all.
      expect((await http.get('/employees/')).status).toBe(404);
    });
  });
}
