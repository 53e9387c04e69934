import { describe, expect, it } from 'vitest';
import { Employee } from '../../../src/entities.js';
import type { GetContext } from '../support/context.js';
import { newEmployee, newUser } from '../support/data.js';

/** A JSON document as text, with `\ud800`-style escapes kept as escapes (JSON.stringify would keep them too). */
const raw = (value: unknown, replace: Record<string, string>) => {
  let text = JSON.stringify(value);
  for (const [from, to] of Object.entries(replace)) text = text.replace(from, to);
  return text;
};

export function textAndVersionTests(ctx: GetContext): void {
  describe('text no backend can store, and versions no backend can hold', () => {
    it('a lone surrogate in any body field is a 400 naming the field, and nothing is stored', async () => {
      const { http, db } = ctx();
      const cases: Array<[string, string, unknown, string, string]> = [
        ['POST', '/employees', newEmployee({ name: 'MARK' }), 'MARK', 'name'],
        ['POST', '/employees', newEmployee({ department: 'MARK' }), 'MARK', 'department'],
        ['POST', '/users', newUser({ displayName: 'MARK' }), 'MARK', 'displayName'],
        ['POST', '/employees/bulk', [newEmployee(), newEmployee({ name: 'x MARK y' })], 'MARK', '1.name'],
      ];
      for (const surrogate of ['\\ud800', '\\udfff', '\\ude00\\ud83d']) {
        for (const [method, path, body, mark, field] of cases) {
          const reply = await http.request(method, path, {
            raw: raw(body, { [mark]: surrogate }),
            headers: { 'content-type': 'application/json' },
          });
          expect([path, field, reply.status], reply.text).toEqual([path, field, 400]);
          expect(reply.body.error.code).toBe('VALIDATION');
          expect(reply.body.error.details).toEqual([
            { field, message: expect.stringContaining('surrogate') },
          ]);
        }
      }
      // A well-formed pair (an emoji written as escapes) is fine and stored as sent.
      const emoji = await http.request('POST', '/users', {
        raw: raw(newUser({ displayName: 'MARK' }), { MARK: '\\ud83d\\ude00' }),
        headers: { 'content-type': 'application/json' },
      });
      expect(emoji.status, emoji.text).toBe(201);
      expect((await http.get(`/users/${emoji.body.id}`)).body.displayName).toBe('😀');
      const named = await db.repository(Employee).count({ name: { contains: '\uFFFD' } });
      expect(named).toBe(0);
    });

    it('PATCH with a lone surrogate is a 400 and changes nothing; so is a raise into such a department', async () => {
      const { http } = ctx();
      const created = (await http.post('/employees', newEmployee())).body;
      const reply = await http.request('PATCH', `/employees/${created.id}`, {
        raw: '{"department":"a\\udbffb"}',
        headers: { 'content-type': 'application/json' },
      });
      expect(reply.status, reply.text).toBe(400);
      expect(reply.body.error.details).toEqual([{ field: 'department', message: expect.any(String) }]);
      expect((await http.get(`/employees/${created.id}`)).body).toEqual(created);
    });

    it('a query parameter that is not UTF-8 percent-encoding is a 400 naming it', async () => {
      const { http } = ctx();
      for (const value of ['%ED%A0%80', '%uD800', '%FF', '%C3']) {
        const reply = await http.get(`/employees?department=${value}`);
        expect([value, reply.status], reply.text).toEqual([value, 400]);
        expect(reply.body.error).toMatchObject({ code: 'VALIDATION', details: [{ field: 'department' }] });
      }
      expect((await http.get('/employees?department=%C3%A9&limit=1')).status).toBe(200);
    });

    it('If-Match beyond the largest storable version is a 412 (404 without the row), never a 500', async () => {
      const { http } = ctx();
      const created = (await http.post('/employees', newEmployee())).body;
      for (const version of ['2147483647', '2147483648', '4294967296', '9007199254740991']) {
        const tag = `"${version}"`;
        const patch = await http.patch(`/employees/${created.id}`, { salary: 1 }, { 'if-match': tag });
        expect([tag, patch.status], patch.text).toEqual([tag, 412]);
        expect(patch.body.error.code).toBe('PRECONDITION_FAILED');
        const remove = await http.delete(`/employees/${created.id}`, { 'if-match': tag });
        expect([tag, remove.status], remove.text).toEqual([tag, 412]);
        const missing = await http.delete('/employees/no-such-row', { 'if-match': tag });
        expect([tag, missing.status]).toEqual([tag, 404]);
        const user = await http.patch('/users/no-such-row', { displayName: 'x' }, { 'if-match': tag });
        expect([tag, user.status]).toEqual([tag, 404]);
      }
      // Beyond a safe integer the tag is malformed: a 400, as before.
      const huge = await http.delete(`/employees/${created.id}`, { 'if-match': '"99999999999999999"' });
      expect(huge.status).toBe(400);
      expect((await http.get(`/employees/${created.id}`)).body).toEqual(created);
    });
  });
}
