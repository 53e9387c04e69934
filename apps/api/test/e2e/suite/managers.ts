import { describe, expect, it } from 'vitest';
import type { GetContext } from '../support/context.js';
import { newEmployee, newUser, unique } from '../support/data.js';

/**
 * `managerId` (a relation to users) and `?include=manager`: an optional field, null by default, and the
 * manager loaded only when asked for, so clients that know neither see the employee as before plus one
 * field.
 */
export function managerTests(ctx: GetContext): void {
  describe('employee managers (a relation to users)', () => {
    it('managerId is null by default; without include no manager is in the answer', async () => {
      const { http } = ctx();
      const created = await http.post('/employees', newEmployee());
      expect(created.status, created.text).toBe(201);
      expect(created.body.managerId).toBeNull();
      const read = await http.get(`/employees/${created.body.id}`);
      expect(read.body).toEqual(created.body);
      expect(Object.hasOwn(read.body, 'manager')).toBe(false);
    });

    it('?include=manager loads the user on a read and on a list page, null where there is none', async () => {
      const { http } = ctx();
      const user = (await http.post('/users', newUser())).body;
      const department = unique('mgr');
      const managed = await http.post('/employees', newEmployee({ department, managerId: user.id }));
      expect(managed.status, managed.text).toBe(201);
      expect(managed.body.managerId).toBe(user.id);
      const alone = (await http.post('/employees', newEmployee({ department }))).body;

      const read = await http.get(`/employees/${managed.body.id}?include=manager`);
      expect(read.status).toBe(200);
      expect(read.headers.get('etag')).toBe('"1"');
      expect(read.body).toEqual({ ...managed.body, manager: user });

      const page = await http.get(`/employees?department=${department}&sort=createdAt&include=manager`);
      expect(page.status).toBe(200);
      expect(page.body.items.map((e: { id: string; manager: unknown }) => [e.id, e.manager])).toEqual([
        [managed.body.id, user],
        [alone.id, null],
      ]);
      expect((await http.get(`/employees/${alone.id}?include=manager`)).body.manager).toBeNull();
      expect((await http.get(`/employees/${alone.id}?include=boss`)).status).toBe(400);
      expect((await http.get(`/employees?include=manager,boss`)).status).toBe(400);
    });

    it('a managerId naming no user is a 400, on create, change and bulk (then none is written)', async () => {
      const { http } = ctx();
      const missing = await http.post('/employees', newEmployee({ managerId: 'no-such-user' }));
      expect(missing.status).toBe(400);
      expect(missing.body.error).toMatchObject({ code: 'VALIDATION', details: [{ field: 'managerId' }] });
      const employee = (await http.post('/employees', newEmployee())).body;
      const patched = await http.patch(`/employees/${employee.id}`, { managerId: 'no-such-user' });
      expect(patched.status).toBe(400);
      const department = unique('bulkmgr');
      const bulk = await http.post('/employees/bulk', [
        newEmployee({ department }),
        newEmployee({ department, managerId: 'no-such-user' }),
      ]);
      expect(bulk.status).toBe(400);
      expect((await http.get(`/employees?department=${department}`)).body.items).toEqual([]);
      expect((await http.get(`/employees/${employee.id}`)).body.version).toBe(1);
    });

    it('PATCH sets and clears managerId; deleting the user clears it and bumps the version', async () => {
      const { http } = ctx();
      const user = (await http.post('/users', newUser())).body;
      const employee = (await http.post('/employees', newEmployee())).body;
      const set = await http.patch(`/employees/${employee.id}`, { managerId: user.id });
      expect(set.status, set.text).toBe(200);
      expect(set.body).toMatchObject({ managerId: user.id, version: 2 });
      const cleared = await http.patch(`/employees/${employee.id}`, { managerId: null });
      expect(cleared.body).toMatchObject({ managerId: null, version: 3 });
      await http.patch(`/employees/${employee.id}`, { managerId: user.id });
      expect((await http.delete(`/users/${user.id}`)).status).toBe(204);
      const after = await http.get(`/employees/${employee.id}?include=manager`);
      expect(after.headers.get('etag')).toBe('"5"');
      expect(after.body).toMatchObject({ managerId: null, manager: null, version: 5 });
    });
  });
}
